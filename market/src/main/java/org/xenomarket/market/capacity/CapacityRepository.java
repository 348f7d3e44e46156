package org.xenomarket.market.capacity;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.pricing.ResourceVector;

/**
 * Hourly capacity slots of servers. Reservations are added by one guarded upsert per window (or per
 * batch of windows);
 * the slot table's CHECK constraints are the last word, so even a bug here cannot overbook.
 */
@ApplicationScoped
public class CapacityRepository {

    private final Pool pool;

    public CapacityRepository(Pool pool) {
        this.pool = pool;
    }

    /*
     * The most reserved in any hour of a window per server, their ids as one array parameter: a round asks it
     * for thousands of servers, which as an IN list of thousands of parameters cost more to send and plan than
     * to run; an offer search for its 200 candidates, where an IN list also made a new SQL text per number of
     * ids and Hibernate's plan cache one more entry per execution (it runs with SessionSql there).
     */
    private static final String PEAK_RESERVED_OF_MANY = """
            SELECT server_id, max(reserved_vcpus), max(reserved_memory_mib), max(reserved_disk_gib)
            FROM capacity_slot
            WHERE server_id = ANY ($1) AND bucket_start >= $2 AND bucket_start < $3
            GROUP BY server_id
            """;

    /*
     * The one guard of the capacity invariant, shared by a single booking's RESERVE and a round's
     * RESERVE_ALL: an hour already held (alias {@code slot}) is raised by the new amounts only where
     * every sum stays within the hour's capacity; otherwise the row is left alone and not counted.
     */
    private static final String RAISE_WITHIN_CAPACITY = """
            ON CONFLICT (server_id, bucket_start) DO UPDATE
            SET reserved_vcpus = slot.reserved_vcpus + excluded.reserved_vcpus,
                reserved_memory_mib = slot.reserved_memory_mib + excluded.reserved_memory_mib,
                reserved_disk_gib = slot.reserved_disk_gib + excluded.reserved_disk_gib
            WHERE slot.reserved_vcpus + excluded.reserved_vcpus <= slot.capacity_vcpus
              AND slot.reserved_memory_mib + excluded.reserved_memory_mib <= slot.capacity_memory_mib
              AND slot.reserved_disk_gib + excluded.reserved_disk_gib <= slot.capacity_disk_gib
            """;

    /*
     * New hours are inserted with the request as their reservation; existing hours are raised only
     * where the sum stays within capacity. Fewer rows touched than buckets means some hour is full.
     */
    private static final String RESERVE = """
            INSERT INTO capacity_slot AS slot (server_id, bucket_start,
                capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
            SELECT s.id, CAST(:first AS timestamptz) + make_interval(hours => h),
                   s.vcpus, s.memory_mib, s.disk_gib, :vcpus, :memoryMib, :diskGib
            FROM server s CROSS JOIN generate_series(0, CAST(:buckets AS integer) - 1) AS h
            WHERE s.id = :server
              AND CAST(:vcpus AS integer) <= s.vcpus AND CAST(:memoryMib AS bigint) <= s.memory_mib
              AND CAST(:diskGib AS bigint) <= s.disk_gib
            """ + RAISE_WITHIN_CAPACITY;

    /*
     * RESERVE for many (server, window, amounts) at once, given as one array per column (ids as uuid[],
     * the rest as text[] PostgreSQL casts: cheaper for it than parsing one JSON document): the amounts are
     * first summed per (server, hour), since one statement may not touch a slot twice, and then
     * upserted under the same guard. The answer is how many (server, hour) rows were wanted and how
     * many took their sum; fewer taken means some hour was full and the caller must roll back.
     * Rows are upserted in (server, hour) order, the order a single booking's RESERVE locks its hours
     * in: the GROUP BY's hash order made a round's chunk and concurrent immediate bookings of the same
     * server deadlock (40P01; a 500 to the bidder and a failed round, seen in CapacityTest under load).
     */
    private static final String RESERVE_ALL = """
            WITH wanted AS (
                SELECT r.server_id, r.first_bucket + make_interval(hours => h) AS bucket_start,
                       sum(r.vcpus) AS vcpus, sum(r.memory_mib) AS memory_mib, sum(r.disk_gib) AS disk_gib
                FROM unnest(CAST(:server_id AS uuid[]), CAST(CAST(:first_bucket AS text[]) AS timestamptz[]),
                         CAST(CAST(:buckets AS text[]) AS integer[]), CAST(CAST(:vcpus AS text[]) AS integer[]),
                         CAST(CAST(:memory_mib AS text[]) AS bigint[]), CAST(CAST(:disk_gib AS text[]) AS bigint[]))
                    AS r(server_id, first_bucket, buckets, vcpus, memory_mib, disk_gib)
                    CROSS JOIN LATERAL generate_series(0, r.buckets - 1) AS h
                GROUP BY r.server_id, bucket_start
            ), taken AS (
                INSERT INTO capacity_slot AS slot (server_id, bucket_start,
                    capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                    reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
                SELECT w.server_id, w.bucket_start, s.vcpus, s.memory_mib, s.disk_gib,
                       w.vcpus, w.memory_mib, w.disk_gib
                FROM wanted w JOIN server s ON s.id = w.server_id
                WHERE w.vcpus <= s.vcpus AND w.memory_mib <= s.memory_mib AND w.disk_gib <= s.disk_gib
                ORDER BY w.server_id, w.bucket_start
                """ + RAISE_WITHIN_CAPACITY + """
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM wanted), (SELECT count(*) FROM taken)
            """;

    private static final String RESERVED_BY_BUCKET = """
            SELECT server_id, bucket_start, reserved_vcpus, reserved_memory_mib, reserved_disk_gib
            FROM capacity_slot
            WHERE server_id IN (:servers)
              AND bucket_start >= CAST(:first AS timestamptz) AND bucket_start < CAST(:end AS timestamptz)
            """;

    /*
     * Gives back reservations in every hour of the window. The CHECK (reserved >= 0) refuses giving
     * back more than was reserved, so a bookkeeping bug rolls the transaction back instead of
     * inventing capacity.
     */
    private static final String RELEASE = """
            UPDATE capacity_slot
            SET reserved_vcpus = reserved_vcpus - :vcpus,
                reserved_memory_mib = reserved_memory_mib - :memoryMib,
                reserved_disk_gib = reserved_disk_gib - :diskGib
            WHERE server_id = :server
              AND bucket_start >= CAST(:first AS timestamptz) AND bucket_start < CAST(:end AS timestamptz)
            """;

    /** What is reserved in each hour of the window, per server; hours with no slot are absent (nothing reserved). */
    public Uni<Map<UUID, Map<java.time.Instant, ResourceVector>>> reservedByBucket(List<UUID> serverIds,
                                                                                  CapacityWindow window) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RESERVED_BY_BUCKET, Object[].class)
                .setParameter("servers", serverIds)
                .setParameter("first", utc(window.firstBucket()))
                .setParameter("end", utc(window.end()))
                .getResultList())
                .map(rows -> {
                    Map<UUID, Map<java.time.Instant, ResourceVector>> byServer = new HashMap<>();
                    for (Object[] row : rows) {
                        byServer.computeIfAbsent((UUID) row[0], id -> new HashMap<>())
                                .put(instantOf(row[1]), new ResourceVector(((Number) row[2]).intValue(),
                                        ((Number) row[3]).longValue(), ((Number) row[4]).longValue()));
                    }
                    return byServer;
                });
    }

    /**
     * Gives the amounts back in every hour of the window, within the caller's transaction: used
     * when a lease stops holding those hours (pre-empted, failed). Returns how many hours changed.
     */
    public Uni<Integer> release(UUID serverId, ResourceVector amounts, CapacityWindow window) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RELEASE)
                .setParameter("server", serverId)
                .setParameter("first", utc(window.firstBucket()))
                .setParameter("end", utc(window.end()))
                .setParameter("vcpus", amounts.vcpus())
                .setParameter("memoryMib", amounts.memoryMib())
                .setParameter("diskGib", amounts.diskGib())
                .executeUpdate());
    }

    private static java.time.Instant instantOf(Object value) {
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected bucket_start type " + value.getClass());
    }

    /**
     * The most reserved in any hour of the window, per server; servers with nothing reserved are absent. In the
     * caller's session, which must hold no pending changes (nothing is flushed first).
     */
    public Uni<Map<UUID, ResourceVector>> peakReserved(List<UUID> serverIds, CapacityWindow window) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select(PEAK_RESERVED_OF_MANY, serverIds.toArray(UUID[]::new), utc(window.firstBucket()),
                        utc(window.end()))
                .map(rows -> {
                    Map<UUID, ResourceVector> peaks = new HashMap<>();
                    for (Object[] row : rows) {
                        peaks.put((UUID) row[0], new ResourceVector(((Number) row[1]).intValue(),
                                ((Number) row[2]).longValue(), ((Number) row[3]).longValue()));
                    }
                    return peaks;
                });
    }

    /**
     * As {@link #peakReserved}, for a round's thousands of servers, outside any transaction: on its own
     * connection, from what is committed.
     */
    public Uni<Map<UUID, ResourceVector>> committedPeakReserved(List<UUID> serverIds, CapacityWindow window) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(PEAK_RESERVED_OF_MANY)
                .execute(Tuple.of(serverIds.toArray(UUID[]::new), utc(window.firstBucket()), utc(window.end())))
                .map(rows -> {
                    Map<UUID, ResourceVector> peaks = new HashMap<>();
                    for (Row row : rows) {
                        peaks.put(row.getUUID(0), new ResourceVector(row.getInteger(1), row.getLong(2), row.getLong(3)));
                    }
                    return peaks;
                });
    }

    /**
     * Reserves the amounts on the server in every hour of the window, within the caller's
     * transaction; fails with {@link CapacityExhausted} if any hour lacks room, so that the
     * transaction rolls back and nothing is half-booked.
     */
    public Uni<Void> reserve(UUID serverId, ResourceVector amounts, CapacityWindow window) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RESERVE)
                .setParameter("server", serverId)
                .setParameter("first", utc(window.firstBucket()))
                .setParameter("buckets", window.buckets())
                .setParameter("vcpus", amounts.vcpus())
                .setParameter("memoryMib", amounts.memoryMib())
                .setParameter("diskGib", amounts.diskGib())
                .executeUpdate())
                .invoke(touched -> {
                    if (touched != window.buckets()) {
                        throw new CapacityExhausted(serverId, window);
                    }
                })
                .replaceWithVoid();
    }

    /** One reservation of a batch: the amounts on the server in every hour of the window. */
    public record Reservation(UUID serverId, ResourceVector amounts, CapacityWindow window) {
    }

    /**
     * Reserves every reservation with one guarded upsert, within the caller's transaction. Returns
     * false when some hour lacked room for the sum asked of it: the hours that had room are then
     * raised already, so the caller must roll its transaction back.
     */
    public Uni<Boolean> reserveAll(List<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        int n = reservations.size();
        UUID[] servers = new UUID[n];
        String[] firstBuckets = new String[n];
        String[] buckets = new String[n];
        String[] vcpus = new String[n];
        String[] memoryMib = new String[n];
        String[] diskGib = new String[n];
        for (int i = 0; i < n; i++) {
            Reservation r = reservations.get(i);
            servers[i] = r.serverId();
            firstBuckets[i] = r.window().firstBucket().toString();
            buckets[i] = Integer.toString(r.window().buckets());
            vcpus[i] = Integer.toString(r.amounts().vcpus());
            memoryMib[i] = Long.toString(r.amounts().memoryMib());
            diskGib[i] = Long.toString(r.amounts().diskGib());
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RESERVE_ALL, Object[].class)
                .setParameter("server_id", servers)
                .setParameter("first_bucket", firstBuckets)
                .setParameter("buckets", buckets)
                .setParameter("vcpus", vcpus)
                .setParameter("memory_mib", memoryMib)
                .setParameter("disk_gib", diskGib)
                .getSingleResult())
                .map(counts -> ((Number) counts[0]).longValue() == ((Number) counts[1]).longValue());
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
