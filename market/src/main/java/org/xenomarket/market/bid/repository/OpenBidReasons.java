package org.xenomarket.market.bid.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.database.GroupCommit;

/**
 * Records why a bid is still open. A bid that matching leaves open pays this on every submission, so the
 * updates of concurrent submissions are written together ({@link GroupCommit}): one statement over arrays
 * in autocommit, one commit for the batch. One conditional update needs no transaction to be atomic, and
 * each bid's row is changed only if it is still OPEN, whatever the others in the batch.
 */
@ApplicationScoped
public class OpenBidReasons {

    private static final int MAX_BATCH = 256;

    private static final String EXPLAIN_ALL_OPEN = """
            UPDATE bid SET state_reason = m.reason
            FROM unnest($1::uuid[], $2::text[]) AS m(id, reason)
            WHERE bid.id = m.id AND bid.state = 'OPEN'
            RETURNING bid.id
            """;

    /** A bid and why it stays open. */
    private record Reason(UUID bidId, String reason) {
    }

    private final Pool pool;
    /** 1 for each bid whose reason was set, 0 for one that was no longer OPEN. */
    private final GroupCommit<Reason, Integer> batches = new GroupCommit<>(MAX_BATCH, this::write);

    public OpenBidReasons(Pool pool) {
        this.pool = pool;
    }

    /** Sets the reason of the bid if it is still OPEN; 1 if it was, 0 if it is not (matched, cancelled, expired). */
    public Uni<Integer> explainOpen(UUID bidId, String reason) {
        return batches.submit(new Reason(bidId, reason));
    }

    private Uni<List<Integer>> write(List<Reason> reasons) {
        // A bid named twice in one batch would be updated by one of its rows, chosen by the join: its two
        // callers would both read 1 though only one reason was kept. Each is then written on its own.
        Set<UUID> distinct = new HashSet<>();
        if (!reasons.stream().allMatch(r -> distinct.add(r.bidId()))) {
            return GroupCommit.oneByOne(reasons, r -> update(List.of(r)).map(Set::size));
        }
        return update(reasons).map(updated -> reasons.stream().map(r -> updated.contains(r.bidId()) ? 1 : 0).toList());
    }

    /** The bids of {@code reasons} that were OPEN, now with their reasons. */
    private Uni<Set<UUID>> update(List<Reason> reasons) {
        return pool.preparedQuery(EXPLAIN_ALL_OPEN).execute(Tuple.of(
                        reasons.stream().map(Reason::bidId).toArray(UUID[]::new),
                        reasons.stream().map(Reason::reason).toArray(String[]::new)))
                .map(rows -> {
                    Set<UUID> updated = new HashSet<>();
                    for (Row row : rows) {
                        updated.add(row.getUUID("id"));
                    }
                    return updated;
                });
    }
}
