package org.xenomarket.market.clearing.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The lock that keeps two market instances from clearing one region at once: PostgreSQL's
 * transaction-level advisory lock, taken on a connection of its own and held for as long as the
 * work runs. An instance that does not get it skips the region this time rather than wait.
 */
@ApplicationScoped
public class RegionLock {

    /** First key of the advisory lock, "XMCL": clearing; the second is the region code's hash. */
    private static final int LOCK_CLASS = 0x584d_434c;
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1, hashtext($2))";

    private final Pool pool;

    public RegionLock(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} while holding the region's lock; answers {@code whenHeldElsewhere} if another holds it. */
    public <T> Uni<T> whileHeld(String region, Supplier<Uni<T>> work, Supplier<T> whenHeldElsewhere) {
        return pool.withTransaction(lockConnection -> lockConnection
                .preparedQuery(TRY_LOCK)
                .execute(Tuple.of(LOCK_CLASS, region))
                .chain(rows -> rows.iterator().next().getBoolean(0)
                        ? work.get()
                        : Uni.createFrom().item(whenHeldElsewhere.get())));
    }
}
