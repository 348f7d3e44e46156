package org.xenomarket.market.spending.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.xenomarket.market.spending.SpendingLimit;

/** Sponsors' spending limits, and what a sponsor has committed in a month. */
@ApplicationScoped
public class SpendingLimitRepository {

    private static final String UPSERT = """
            INSERT INTO spending_limit (sponsor_id, currency, monthly_limit_minor, set_by, set_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (sponsor_id) DO UPDATE SET currency = EXCLUDED.currency,
                monthly_limit_minor = EXCLUDED.monthly_limit_minor, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
            """;

    private static final String FIND = """
            SELECT sponsor_id, currency, monthly_limit_minor, set_at FROM spending_limit WHERE sponsor_id = $1
            """;

    /*
     * The worst case the sponsor is committed to in [$2, $3): its leases' price per hour over their
     * time within the month (cut at a failure), and its open bids at their max price for their whole
     * duration. Metered egress is not foreseeable and is not counted.
     */
    private static final String COMMITTED = """
            SELECT coalesce((SELECT sum(l.price_per_hour * extract(epoch FROM
                                least(l.end_at, coalesce(l.failed_at, l.end_at), $3) - greatest(l.start_at, $2)) / 3600)
                             FROM lease l
                             WHERE l.sponsor_id = $1 AND l.currency = $4 AND l.start_at < $3 AND l.end_at > $2
                               AND least(l.end_at, coalesce(l.failed_at, l.end_at), $3) > greatest(l.start_at, $2)), 0)
                 + coalesce((SELECT sum(b.max_price_per_hour * b.duration_hours) FROM bid b
                             WHERE b.sponsor_id = $1 AND b.currency = $4 AND b.state = 'OPEN'), 0) AS committed
            """;

    private final Pool pool;

    public SpendingLimitRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction: committed when its Uni succeeds, rolled back when it fails. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    public Uni<Void> save(SqlConnection tx, SpendingLimit limit, UUID setBy) {
        return tx.preparedQuery(UPSERT).execute(Tuple.of(limit.sponsorId(), limit.currency(), limit.monthlyLimitMinor(),
                setBy, limit.setAt().atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** The sponsor's limit; null if it set none. */
    public Uni<SpendingLimit> find(UUID sponsorId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(sponsorId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new SpendingLimit(r.getUUID("sponsor_id"), r.getString("currency"), r.getLong("monthly_limit_minor"),
                    r.getOffsetDateTime("set_at").toInstant());
        });
    }

    /*
     * Takes the sponsors' limit rows until the transaction ends, so that bids of one sponsor are checked and
     * stored one transaction after another and two of them cannot both take the same room; in the order of
     * their ids, so two transactions that lock overlapping sets wait for each other instead of deadlocking.
     */
    private static final String LOCK_ALL = """
            SELECT sponsor_id, currency, monthly_limit_minor FROM spending_limit WHERE sponsor_id = ANY($1)
            ORDER BY sponsor_id FOR UPDATE
            """;

    /**
     * In the caller's transaction on a plain connection: the limits of those of {@code sponsorIds} that set one,
     * their rows locked until that transaction ends.
     */
    public Uni<Map<UUID, SpendingLimit>> lockAll(SqlConnection tx, List<UUID> sponsorIds) {
        return tx.preparedQuery(LOCK_ALL).execute(Tuple.of(sponsorIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, SpendingLimit> found = new HashMap<>();
            for (Row r : rows) {
                UUID sponsor = r.getUUID("sponsor_id");
                found.put(sponsor, new SpendingLimit(sponsor, r.getString("currency"), r.getLong("monthly_limit_minor"), null));
            }
            return found;
        });
    }

    /** {@link #committed}, in the caller's transaction on a plain connection (it sees what that transaction sees). */
    public Uni<BigDecimal> committed(SqlConnection tx, UUID sponsorId, String currency, Instant from, Instant to) {
        return committedOn(tx, sponsorId, currency, from, to);
    }

    /** The worst-case amount the sponsor has committed in {@code [from, to)} in the currency, unrounded. */
    public Uni<BigDecimal> committed(UUID sponsorId, String currency, Instant from, Instant to) {
        return committedOn(pool, sponsorId, currency, from, to);
    }

    private static Uni<BigDecimal> committedOn(SqlClient client, UUID sponsorId, String currency, Instant from,
                                               Instant to) {
        return client.preparedQuery(COMMITTED).execute(Tuple.of(sponsorId, from.atOffset(ZoneOffset.UTC),
                to.atOffset(ZoneOffset.UTC), currency)).map(rows -> rows.iterator().next().getBigDecimal("committed"));
    }
}
