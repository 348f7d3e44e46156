package org.xenomarket.market.bid.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Records why a bid is still open, as one statement on its own: one round trip in autocommit, where a
 * Hibernate transaction around the same update took three (BEGIN, UPDATE, COMMIT). A bid that matching
 * leaves open pays this on every submission, and one conditional update needs no transaction to be atomic.
 */
@ApplicationScoped
public class OpenBidReasons {

    private static final String EXPLAIN_OPEN = "UPDATE bid SET state_reason = $1 WHERE id = $2 AND state = 'OPEN'";

    private final Pool pool;

    public OpenBidReasons(Pool pool) {
        this.pool = pool;
    }

    /** Sets the reason of the bid if it is still OPEN; 1 if it was, 0 if it is not (matched, cancelled, expired). */
    public Uni<Integer> explainOpen(UUID bidId, String reason) {
        return pool.preparedQuery(EXPLAIN_OPEN).execute(Tuple.of(reason, bidId)).map(rows -> rows.rowCount());
    }
}
