package org.xenomarket.market.follow.move.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The following leases the move sweep looks at: running (not pre-empted, holding no accelerators, not
 * yet ended) on a server of one of the given regions, with no unfinished move, whose point last changed
 * (which looked for a move) and whose last move was booked, done or failed long enough ago. Read a page
 * at a time in lease id order after a cursor, so that a sweep reads a bounded number of rows and the
 * sweeps go round every such lease in turn.
 */
@ApplicationScoped
public class SweepCandidates {

    // The latest move of a lease is its unfinished one if it has one (a lease has at most one, and no
    // other is booked while it lasts), so looking at the latest alone excludes moving leases.
    private static final String DUE = """
            SELECT f.lease_id FROM lease_follow f
            JOIN lease l ON l.id = f.lease_id
            JOIN server s ON s.id = l.server_id
            JOIN site si ON si.id = s.site_id
            LEFT JOIN LATERAL (SELECT m.state, m.booked_at, m.done_at, m.failed_at FROM lease_move m
                               WHERE m.lease_id = f.lease_id ORDER BY m.id DESC LIMIT 1) last ON true
            WHERE f.lease_id > $1
              AND l.state = 'RUNNING' AND l.preempted_at IS NULL AND l.accelerator_model IS NULL AND l.end_at > $2
              AND si.region_code = ANY($3)
              AND f.updated_at <= $4
              AND (last.state IS NULL
                   OR (last.state = 'DONE' AND last.done_at <= $4)
                   OR (last.state = 'FAILED' AND last.failed_at <= $5))
            ORDER BY f.lease_id
            LIMIT $6""";

    private final Pool pool;

    public SweepCandidates(Pool pool) {
        this.pool = pool;
    }

    /**
     * Up to {@code limit} leases after {@code after} in id order: checked before {@code checkedBefore}
     * (their point's last change and last finished move), and whose last move, if it failed, failed
     * before {@code failedBefore}.
     */
    public Uni<List<UUID>> due(UUID after, Collection<String> regions, Instant now, Instant checkedBefore,
                               Instant failedBefore, int limit) {
        return pool.preparedQuery(DUE).execute(Tuple.from(List.of(after, utc(now), regions.toArray(String[]::new),
                        utc(checkedBefore), utc(failedBefore), limit)))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0));
                    }
                    return ids;
                });
    }
}
