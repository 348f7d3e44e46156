package org.xenomarket.market.idempotency.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.idempotency.Answer;
import org.xenomarket.market.idempotency.KeyedRequest;
import org.xenomarket.market.idempotency.StoredRequest;

/**
 * Keyed requests and their first answers. Each statement commits on its own (no surrounding
 * transaction): a claim must be visible to a concurrent retry at once, and the answer saved
 * whether or not anything else of the request's work is.
 */
@ApplicationScoped
public class IdempotencyRepository {

    /*
     * Claims the key: a new row, or a row left IN_FLIGHT by a request that died (claimed before
     * the cutoff) with the same parameters. Nothing returned: someone else holds or answered it.
     */
    private static final String CLAIM = """
            INSERT INTO idempotent_request AS r (account_id, key, operation, request_hash, state, created_at, claimed_at)
            VALUES ($1, $2, $3, $4, 'IN_FLIGHT', $5, $5)
            ON CONFLICT (account_id, key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
                WHERE r.state = 'IN_FLIGHT' AND r.claimed_at < $6 AND r.request_hash = EXCLUDED.request_hash
                  AND r.operation = EXCLUDED.operation
            RETURNING 1
            """;

    private static final String FIND = """
            SELECT operation, request_hash, state, status, location, body FROM idempotent_request
            WHERE account_id = $1 AND key = $2
            """;

    private static final String ANSWER = """
            UPDATE idempotent_request SET state = 'DONE', status = $3, location = $4, body = $5, completed_at = $6
            WHERE account_id = $1 AND key = $2 AND state = 'IN_FLIGHT'
            """;

    private static final String RELEASE = """
            DELETE FROM idempotent_request WHERE account_id = $1 AND key = $2 AND state = 'IN_FLIGHT'
            """;

    private static final String PURGE = "DELETE FROM idempotent_request WHERE created_at < $1";

    private final Pool pool;

    public IdempotencyRepository(Pool pool) {
        this.pool = pool;
    }

    /** True when this request now holds the key and must run; {@code abandonedBefore}: claims older are retaken. */
    public Uni<Boolean> claim(KeyedRequest request, Instant now, Instant abandonedBefore) {
        return pool.preparedQuery(CLAIM).execute(Tuple.tuple().addValue(request.accountId()).addValue(request.key())
                        .addValue(request.operation()).addValue(Buffer.buffer(request.parametersHash()))
                        .addValue(utc(now)).addValue(utc(abandonedBefore)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** What is held under the key, or null when nothing (it was purged or released meanwhile). */
    public Uni<StoredRequest> find(UUID accountId, String key) {
        return pool.preparedQuery(FIND).execute(Tuple.of(accountId, key)).map(IdempotencyRepository::storedOf);
    }

    /** Saves the first answer of the claimed key. */
    public Uni<Void> answer(KeyedRequest request, Answer answer, Instant now) {
        return pool.preparedQuery(ANSWER).execute(Tuple.tuple().addValue(request.accountId()).addValue(request.key())
                .addValue(answer.status()).addValue(answer.location()).addValue(Buffer.buffer(answer.body()))
                .addValue(utc(now))).replaceWithVoid();
    }

    /** Gives the key up after its request failed, so a retry runs it again. */
    public Uni<Void> release(KeyedRequest request) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(request.accountId(), request.key())).replaceWithVoid();
    }

    /** Deletes keys made before {@code cutoff}; returns how many. */
    public Uni<Integer> purgeMadeBefore(Instant cutoff) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(utc(cutoff))).map(RowSet::rowCount);
    }

    private static StoredRequest storedOf(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        Answer answer = "DONE".equals(row.getString("state"))
                ? new Answer(row.getInteger("status"), row.getString("location"), row.getBuffer("body").getBytes(), false)
                : null;
        return new StoredRequest(row.getString("operation"), row.getBuffer("request_hash").getBytes(), answer);
    }
}
