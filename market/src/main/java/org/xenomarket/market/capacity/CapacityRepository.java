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
 * Hourly capacity of servers, held per (server, UTC day) in {@code capacity_day} with the day's hours as
 * arrays and read per hour through the view {@code capacity_slot}. Reservations are added by one
 * guarded upsert per window (or per batch of windows); the day table's CHECK constraints are the last
 * word, so even a bug here cannot overbook.
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
     * ids and Hibernate's plan cache one more entry per execution (it runs with SessionSql there). It reads
     * capacity_day itself (V92), so that the days of the window, not every day held, are unnested.
     */
    private static final String PEAK_RESERVED_OF_MANY = """
            SELECT d.server_id, max(h.vcpus), max(h.memory_mib), max(h.disk_gib)
            FROM capacity_day d
                 CROSS JOIN LATERAL unnest(d.reserved_vcpus, d.reserved_memory_mib, d.reserved_disk_gib)
                     WITH ORDINALITY AS h(vcpus, memory_mib, disk_gib, i)
            WHERE d.server_id = ANY ($1)
              AND d.day >= CAST(CAST($2 AS timestamptz) AT TIME ZONE 'UTC' AS date)
              AND d.day <= CAST(CAST($3 AS timestamptz) AT TIME ZONE 'UTC' AS date)
              AND (d.day + make_interval(hours => CAST(h.i AS integer) - 1)) AT TIME ZONE 'UTC' >= CAST($2 AS timestamptz)
              AND (d.day + make_interval(hours => CAST(h.i AS integer) - 1)) AT TIME ZONE 'UTC' < CAST($3 AS timestamptz)
            GROUP BY d.server_id
            """;

    /*
     * The one guard of the capacity invariant, shared by a single booking's reserve and a round's
     * reserveAll. The wanted amounts come per (server, day) as arrays of the day's 24 hours (summed in
     * CapacityDays). A day not held yet is inserted if every hour fits the server; a day already held
     * (alias held) is raised by the new amounts only where every hour's sum stays within capacity;
     * otherwise the row is left alone and not counted. The answer is how many server-days were wanted
     * and how many took their amounts: fewer taken means some hour was full and the caller must roll
     * back. Days are upserted in (server, day) order, the order every booking locks them in: the
     * GROUP BY's hash order once made a round's chunk and concurrent immediate bookings of the same
     * server deadlock (40P01, seen in CapacityTest under load). The table's CHECKs are the last word.
     */
    private static final String RESERVE_DAYS = """
            WITH wanted AS (
                SELECT u.server_id, CAST(u.day AS date) AS day, CAST(u.vcpus AS integer[]) AS vcpus,
                       CAST(u.memory_mib AS bigint[]) AS memory_mib, CAST(u.disk_gib AS bigint[]) AS disk_gib
                FROM unnest(CAST(:server_id AS uuid[]), CAST(:day AS text[]), CAST(:vcpus AS text[]),
                         CAST(:memory_mib AS text[]), CAST(:disk_gib AS text[]))
                    AS u(server_id, day, vcpus, memory_mib, disk_gib)
            ), taken AS (
                INSERT INTO capacity_day AS held (server_id, day,
                    capacity_vcpus, capacity_memory_mib, capacity_disk_gib,
                    reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
                SELECT w.server_id, w.day, s.vcpus, s.memory_mib, s.disk_gib, w.vcpus, w.memory_mib, w.disk_gib
                FROM wanted w JOIN server s ON s.id = w.server_id
                WHERE s.vcpus >= ALL (w.vcpus) AND s.memory_mib >= ALL (w.memory_mib) AND s.disk_gib >= ALL (w.disk_gib)
                ORDER BY w.server_id, w.day
                ON CONFLICT (server_id, day) DO UPDATE
                SET reserved_vcpus = hours_plus(held.reserved_vcpus, excluded.reserved_vcpus),
                    reserved_memory_mib = hours_plus(held.reserved_memory_mib, excluded.reserved_memory_mib),
                    reserved_disk_gib = hours_plus(held.reserved_disk_gib, excluded.reserved_disk_gib)
                WHERE held.capacity_vcpus >= ALL (hours_plus(held.reserved_vcpus, excluded.reserved_vcpus))
                  AND held.capacity_memory_mib >= ALL (hours_plus(held.reserved_memory_mib, excluded.reserved_memory_mib))
                  AND held.capacity_disk_gib >= ALL (hours_plus(held.reserved_disk_gib, excluded.reserved_disk_gib))
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
     * Gives back reservations in every hour of the window: the days held get the amounts subtracted
     * (CapacityDays.subtract). The CHECK (every hour >= 0) refuses giving back more than was reserved,
     * so a bookkeeping bug rolls the transaction back instead of inventing capacity.
     */
    private static final String RELEASE = """
            UPDATE capacity_day AS held
            SET reserved_vcpus = hours_plus(held.reserved_vcpus, CAST(g.vcpus AS integer[])),
                reserved_memory_mib = hours_plus(held.reserved_memory_mib, CAST(g.memory_mib AS bigint[])),
                reserved_disk_gib = hours_plus(held.reserved_disk_gib, CAST(g.disk_gib AS bigint[]))
            FROM unnest(CAST(:server_id AS uuid[]), CAST(:day AS text[]), CAST(:vcpus AS text[]),
                     CAST(:memory_mib AS text[]), CAST(:disk_gib AS text[]))
                AS g(server_id, day, vcpus, memory_mib, disk_gib)
            WHERE held.server_id = g.server_id AND held.day = CAST(g.day AS date)
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
     * when a lease stops holding those hours (pre-empted, failed). Returns how many server-days changed.
     */
    public Uni<Integer> release(UUID serverId, ResourceVector amounts, CapacityWindow window) {
        CapacityDays.Parameters days = new CapacityDays().subtract(serverId, amounts, window).parameters();
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RELEASE)
                .setParameter("server_id", days.serverIds())
                .setParameter("day", days.days())
                .setParameter("vcpus", days.vcpus())
                .setParameter("memory_mib", days.memoryMib())
                .setParameter("disk_gib", days.diskGib())
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
        return reserveDays(new CapacityDays().add(serverId, amounts, window))
                .invoke(taken -> {
                    if (!taken) {
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
     * false when some hour lacked room for the sum asked of it: the days that had room are then
     * raised already, so the caller must roll its transaction back.
     */
    public Uni<Boolean> reserveAll(List<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return reserveDays(CapacityDays.of(reservations));
    }

    private Uni<Boolean> reserveDays(CapacityDays wanted) {
        CapacityDays.Parameters days = wanted.parameters();
        return Panache.getSession().chain(session -> session
                .createNativeQuery(RESERVE_DAYS, Object[].class)
                .setParameter("server_id", days.serverIds())
                .setParameter("day", days.days())
                .setParameter("vcpus", days.vcpus())
                .setParameter("memory_mib", days.memoryMib())
                .setParameter("disk_gib", days.diskGib())
                .getSingleResult())
                .map(counts -> ((Number) counts[0]).longValue() == ((Number) counts[1]).longValue());
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
