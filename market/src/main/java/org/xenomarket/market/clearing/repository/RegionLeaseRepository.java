package org.xenomarket.market.clearing.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The market replicas and their region leases (tables {@code market_replica} and {@code region_lease},
 * V60). Every instant is the database's {@code now()}, so the replicas' own clocks never decide who
 * owns a region.
 */
@ApplicationScoped
public class RegionLeaseRepository {

    private static final String HEARTBEAT = """
            INSERT INTO market_replica (id, host, pid, expires_at)
            VALUES ($1, $2, $3, now() + CAST($4 AS bigint) * interval '1 millisecond')
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), expires_at = excluded.expires_at
            """;

    /*
     * Regions added since the migration (by an operator, in SQL) get their lease row here. NOT EXISTS
     * first: the conflict check alone would wait for any transaction that holds a lease row locked.
     */
    private static final String ADD_NEW_REGIONS = """
            INSERT INTO region_lease (region)
            SELECT code FROM region r WHERE NOT EXISTS (SELECT 1 FROM region_lease l WHERE l.region = r.code)
            ON CONFLICT (region) DO NOTHING
            """;

    /*
     * Renews every lease the replica still holds; one that expired but nobody took is still its own.
     * It changes no key, so it takes FOR NO KEY UPDATE and goes through the FOR KEY SHARE of the
     * replica's own booking chunks (FENCE) instead of waiting for them.
     */
    private static final String RENEW = """
            UPDATE region_lease SET expires_at = now() + CAST($2 AS bigint) * interval '1 millisecond'
            WHERE owner = $1
            RETURNING region, epoch
            """;

    /*
     * How many regions, how many live replicas, and the fewest live leases any live replica holds:
     * what a replica's fair share is decided from.
     */
    private static final String SHARE = """
            SELECT (SELECT count(*) FROM region_lease),
                   (SELECT count(*) FROM market_replica WHERE expires_at > now()),
                   (SELECT coalesce(min(held), 0) FROM (
                        SELECT count(l.region) AS held FROM market_replica r
                        LEFT JOIN region_lease l ON l.owner = r.id AND l.expires_at > now()
                        WHERE r.expires_at > now() GROUP BY r.id) AS counts)
            """;

    /*
     * Gives regions back, each locked FOR UPDATE first: an update of no key would overtake a booking
     * chunk in flight (its FENCE is only FOR KEY SHARE). A region whose chunk is in flight is skipped,
     * not waited for, so the heartbeat's transaction (whose renewals are not visible until it commits)
     * never waits behind bookings; it is given back on a later tick. Answers the regions given back.
     */
    private static final String RELEASE = """
            UPDATE region_lease SET owner = NULL, expires_at = '-infinity'
            WHERE region IN (SELECT region FROM region_lease WHERE owner = $1 AND region = ANY($2) FOR UPDATE SKIP LOCKED)
              AND owner = $1
            RETURNING region
            """;

    /*
     * Takes up to $2 regions nobody holds (never held, released, or expired), in code order; a region
     * another replica is claiming at the same moment is skipped, not waited for. Each takeover moves the
     * region's epoch on by one, which fences off the bookings of the replica that held it before.
     * FOR UPDATE conflicts with a booking chunk's FOR KEY SHARE (FENCE), so a region whose chunk is in
     * flight is skipped too, even when its lease has lapsed meanwhile.
     */
    private static final String CLAIM_FREE = """
            UPDATE region_lease SET owner = $1, epoch = epoch + 1, acquired_at = now(),
                expires_at = now() + CAST($3 AS bigint) * interval '1 millisecond'
            WHERE region IN (SELECT region FROM region_lease WHERE owner IS NULL OR expires_at <= now()
                             ORDER BY region LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING region, epoch
            """;

    private static final String ADD_REGION = """
            INSERT INTO region_lease (region)
            SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM region_lease WHERE region = $1)
            ON CONFLICT (region) DO NOTHING
            """;

    /*
     * One region, for a round run on demand: the row is locked FOR UPDATE first (LOCK_ONE, in the same
     * transaction), which waits for a booking chunk in flight (its FENCE is only FOR KEY SHARE, which
     * CLAIM_ONE's update of no key would not wait for); CLAIM_ONE then reads the locked row's latest
     * version, as the statement after the lock, so the takeover is decided on what the chunk left.
     */
    private static final String LOCK_ONE = "SELECT 1 FROM region_lease WHERE region = $1 FOR UPDATE";

    /* The replica's own lease renewed, or a free one taken at the next epoch. */
    private static final String CLAIM_ONE = """
            UPDATE region_lease
            SET epoch = CASE WHEN owner IS NOT DISTINCT FROM $2 THEN epoch ELSE epoch + 1 END,
                acquired_at = CASE WHEN owner IS NOT DISTINCT FROM $2 THEN acquired_at ELSE now() END,
                owner = $2, expires_at = now() + CAST($3 AS bigint) * interval '1 millisecond'
            WHERE region = $1 AND (owner = $2 OR owner IS NULL OR expires_at <= now())
            RETURNING epoch
            """;

    private static final String STILL_HELD = """
            SELECT 1 FROM region_lease WHERE region = $1 AND owner = $2 AND epoch = $3 AND expires_at > now()
            """;

    /*
     * The fence of a round's booking transaction. FOR KEY SHARE: every statement that hands the region
     * over (CLAIM_FREE, LOCK_ONE before CLAIM_ONE, RELEASE, LEAVE) locks the row FOR UPDATE, which
     * conflicts with it, so a takeover waits until the booking commits (or skips the region), and a
     * booking that comes after a takeover finds another epoch. The owner's RENEW (FOR NO KEY UPDATE)
     * does not conflict with it: a long booking never keeps the replica from renewing its leases, and
     * the lock stays on the renewed row version. Not FOR SHARE, which blocked RENEW for the whole of
     * every chunk. Expiry is not checked: while the epoch is unchanged nobody else has cleared the region.
     */
    private static final String FENCE = """
            SELECT count(*) FROM (SELECT 1 FROM region_lease
                                  WHERE region = :region AND owner = :owner AND epoch = :epoch FOR KEY SHARE) AS held
            """;

    /* A stopping replica frees its leases, as RELEASE does: a region whose chunk is in flight expires by itself. */
    private static final String LEAVE = """
            UPDATE region_lease SET owner = NULL, expires_at = '-infinity'
            WHERE region IN (SELECT region FROM region_lease WHERE owner = $1 AND NOT (region = ANY($2))
                             FOR UPDATE SKIP LOCKED)
              AND owner = $1
            """;

    private static final String FORGET_REPLICA = "DELETE FROM market_replica WHERE id = $1";

    private static final String PURGE_DEAD = """
            DELETE FROM market_replica WHERE expires_at < now() - interval '1 hour'
            """;

    /** The fair-share inputs: regions, live replicas, and the fewest regions a live replica holds. */
    public record Share(int regions, int liveReplicas, int fewestHeld) {
    }

    private final Pool pool;

    public RegionLeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction of its own connection. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    public Uni<Void> heartbeat(SqlConnection tx, UUID replica, String host, long pid, Duration ttl) {
        return tx.preparedQuery(HEARTBEAT).execute(Tuple.of(replica, host, pid, ttl.toMillis()))
                .chain(() -> tx.query(ADD_NEW_REGIONS).execute())
                .chain(() -> tx.query(PURGE_DEAD).execute())
                .replaceWithVoid();
    }

    /** Renews the replica's leases; answers the regions it holds with their epochs. */
    public Uni<Map<String, Long>> renew(SqlConnection tx, UUID replica, Duration ttl) {
        return tx.preparedQuery(RENEW).execute(Tuple.of(replica, ttl.toMillis())).map(RegionLeaseRepository::epochs);
    }

    public Uni<Share> share(SqlConnection tx) {
        return tx.query(SHARE).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new Share(row.getLong(0).intValue(), row.getLong(1).intValue(), row.getLong(2).intValue());
        });
    }

    /** Gives the regions back, but those with a booking in flight; answers the regions given back. */
    public Uni<List<String>> release(SqlConnection tx, UUID replica, List<String> regions) {
        return tx.preparedQuery(RELEASE).execute(Tuple.of(replica, regions.toArray(String[]::new)))
                .map(rows -> {
                    List<String> released = new ArrayList<>();
                    rows.forEach(row -> released.add(row.getString(0)));
                    return released;
                });
    }

    /** Claims up to {@code count} free regions; answers those taken with their new epochs. */
    public Uni<Map<String, Long>> claimFree(SqlConnection tx, UUID replica, int count, Duration ttl) {
        return tx.preparedQuery(CLAIM_FREE).execute(Tuple.of(replica, count, ttl.toMillis()))
                .map(RegionLeaseRepository::epochs);
    }

    /** The region for this replica, if it holds it or nobody does; answers its epoch, empty when another holds it. */
    public Uni<Optional<Long>> claim(String region, UUID replica, Duration ttl) {
        return pool.withTransaction(tx -> tx.preparedQuery(ADD_REGION).execute(Tuple.of(region))
                .chain(() -> tx.preparedQuery(LOCK_ONE).execute(Tuple.of(region)))
                .chain(() -> tx.preparedQuery(CLAIM_ONE).execute(Tuple.of(region, replica, ttl.toMillis())))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty()
                        : Optional.of(rows.iterator().next().getLong(0))));
    }

    /** Whether the replica still holds the region under this epoch, unexpired. */
    public Uni<Boolean> stillHeld(String region, UUID replica, long epoch) {
        return pool.preparedQuery(STILL_HELD).execute(Tuple.of(region, replica, epoch)).map(rows -> rows.size() > 0);
    }

    /**
     * Within the caller's (Hibernate Reactive) transaction: whether the replica still holds the region
     * under this epoch, the row locked FOR KEY SHARE until that transaction ends: a takeover waits for
     * it, the owner's renewal does not.
     */
    public Uni<Boolean> holdsFence(String region, UUID replica, long epoch) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FENCE, Long.class)
                .setParameter("region", region)
                .setParameter("owner", replica)
                .setParameter("epoch", epoch)
                .getSingleResult())
                .map(count -> count > 0);
    }

    /** A replica that stops: its leases (but those named in {@code keep}) are freed and its row removed. */
    public Uni<Void> leave(UUID replica, List<String> keep) {
        return pool.withTransaction(tx -> tx.preparedQuery(LEAVE).execute(Tuple.of(replica, keep.toArray(String[]::new)))
                .chain(() -> tx.preparedQuery(FORGET_REPLICA).execute(Tuple.of(replica)))
                .replaceWithVoid());
    }

    private static Map<String, Long> epochs(RowSet<Row> rows) {
        Map<String, Long> epochs = new LinkedHashMap<>();
        for (Row row : rows) {
            epochs.put(row.getString(0), row.getLong(1));
        }
        return epochs;
    }
}
