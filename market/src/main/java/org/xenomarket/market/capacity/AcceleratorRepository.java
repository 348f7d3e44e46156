package org.xenomarket.market.capacity;

import static org.xenomarket.market.database.Timestamps.utc;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.pricing.AcceleratorDemand;

/**
 * Servers' accelerator devices and the hours leases hold them. A device-hour is one row of
 * {@code accelerator_slot} whose primary key is (device, hour): the database, not this code, is what
 * keeps two leases off one device, as capacity_day's CHECKs keep vCPUs and memory within capacity.
 */
@ApplicationScoped
public class AcceleratorRepository {

    private static final String ADD_DEVICE = """
            INSERT INTO accelerator_device (id, server_id, model, position, pci_address)
            VALUES (:id, :server, :model, :position, :pciAddress)
            """;

    private static final String FREE_DEVICES = """
            SELECT d.server_id, count(*)
            FROM accelerator_device d
            WHERE d.server_id = ANY ($1) AND d.model = $2
              AND NOT EXISTS (SELECT 1 FROM accelerator_slot s WHERE s.device_id = d.id
                              AND s.bucket_start >= $3 AND s.bucket_start < $4)
            GROUP BY d.server_id
            """;

    /*
     * Chooses the first free devices of the model and takes every hour of the window for them in one
     * statement. A concurrent booking of the same device meets the primary key: ON CONFLICT waits for it
     * to commit and then skips the row, so fewer hours are taken than wanted and the caller rolls back.
     */
    private static final String BOOK = """
            WITH chosen AS (
                SELECT d.id, d.position, d.pci_address
                FROM accelerator_device d
                WHERE d.server_id = :server AND d.model = :model
                  AND NOT EXISTS (SELECT 1 FROM accelerator_slot s WHERE s.device_id = d.id
                                  AND s.bucket_start >= CAST(:first AS timestamptz)
                                  AND s.bucket_start < CAST(:end AS timestamptz))
                ORDER BY d.position
                LIMIT :count
            ), taken AS (
                INSERT INTO accelerator_slot (device_id, bucket_start, lease_id)
                SELECT c.id, CAST(:first AS timestamptz) + make_interval(hours => h), :lease
                FROM chosen c CROSS JOIN generate_series(0, CAST(:buckets AS integer) - 1) AS h
                ORDER BY c.id, h
                ON CONFLICT (device_id, bucket_start) DO NOTHING
                RETURNING 1
            )
            SELECT c.position, c.pci_address, (SELECT count(*) FROM taken)
            FROM chosen c
            ORDER BY c.position
            """;

    private static final String RELEASE = """
            DELETE FROM accelerator_slot
            WHERE lease_id = :lease AND bucket_start >= CAST(:from AS timestamptz)
            """;

    private static final String HELD_HOURS = """
            SELECT count(*) FROM accelerator_slot WHERE lease_id = :lease
            """;

    /** Records the server's devices, numbered per model from 0, within the caller's transaction. */
    public Uni<Void> addDevices(UUID serverId, List<AcceleratorListing> listings) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AcceleratorListing listing : listings) {
            for (int position = 0; position < listing.count(); position++) {
                int p = position;
                chain = chain.chain(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery(ADD_DEVICE)
                        .setParameter("id", TimeOrderedId.next())
                        .setParameter("server", serverId)
                        .setParameter("model", listing.model())
                        .setParameter("position", p)
                        .setParameter("pciAddress", listing.addressOf(p))
                        .executeUpdate())).replaceWithVoid();
            }
        }
        return chain;
    }

    /**
     * How many devices of the model each server has free in every hour of the window; servers with none are
     * absent. In the caller's session (an offer search's), which must hold no pending changes: run with
     * SessionSql, not as a Hibernate native query, whose plan cache grew by one entry per execution.
     */
    public Uni<Map<UUID, Integer>> freeDevices(List<UUID> serverIds, String model, CapacityWindow window) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select(FREE_DEVICES, serverIds.toArray(UUID[]::new), model, utc(window.firstBucket()),
                        utc(window.end()))
                .map(rows -> {
                    Map<UUID, Integer> free = new HashMap<>();
                    for (Object[] row : rows) {
                        free.put((UUID) row[0], ((Number) row[1]).intValue());
                    }
                    return free;
                });
    }

    /**
     * Takes {@code demand.count()} free devices of the model on the server for every hour of the window,
     * for the lease, within the caller's transaction. Returns the devices given (PCI addresses, or
     * {@code #position}); fails with {@link CapacityExhausted} when too few were free, so the transaction
     * rolls back and nothing is half-booked.
     */
    public Uni<List<String>> book(UUID serverId, UUID leaseId, AcceleratorDemand demand, CapacityWindow window) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(BOOK, Object[].class)
                .setParameter("server", serverId)
                .setParameter("model", demand.model())
                .setParameter("first", utc(window.firstBucket()))
                .setParameter("end", utc(window.end()))
                .setParameter("buckets", window.buckets())
                .setParameter("count", demand.count())
                .setParameter("lease", leaseId)
                .getResultList())
                .map(rows -> {
                    long taken = rows.isEmpty() ? 0 : ((Number) rows.get(0)[2]).longValue();
                    if (rows.size() != demand.count() || taken != (long) demand.count() * window.buckets()) {
                        throw new CapacityExhausted(serverId, window);
                    }
                    List<String> devices = new ArrayList<>();
                    for (Object[] row : rows) {
                        devices.add(row[1] != null ? (String) row[1] : "#" + ((Number) row[0]).intValue());
                    }
                    return devices;
                });
    }

    /**
     * Gives back the lease's devices from the hour {@code from} falls in onwards, within the caller's
     * transaction: when the lease stops holding them (ended early, pre-empted, failed).
     */
    public Uni<Integer> release(UUID leaseId, Instant from) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RELEASE)
                .setParameter("lease", leaseId)
                .setParameter("from", utc(from.truncatedTo(ChronoUnit.HOURS)))
                .executeUpdate());
    }

    /** How many device-hours the lease holds (for tests and audits). */
    public Uni<Long> heldHours(UUID leaseId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(HELD_HOURS, Long.class)
                .setParameter("lease", leaseId)
                .getSingleResult());
    }
}
