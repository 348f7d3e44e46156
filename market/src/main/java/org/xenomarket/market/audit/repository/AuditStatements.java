package org.xenomarket.market.audit.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.security.Actor;

/**
 * Audit events written on a reactive SQL connection, for changes made straight in SQL (billing,
 * the ledger): the event commits or rolls back with the change it records.
 */
@ApplicationScoped
public class AuditStatements {

    /** One audit event, every column a parameter: also what {@link AuditRepository#insert} writes. */
    static final String INSERT = """
            INSERT INTO audit_event (id, actor_id, actor_role, actor_token_id, request_id, action, object_type,
                                     object_id, before, after, detail, at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """;

    /** One event of {@link #recordAll}: {@code actor} did {@code action} to the object, now {@code after}. */
    public record Event(Actor actor, String action, String objectType, String objectId, String after, String detail) {
    }

    /** Records the events in the caller's transaction, one statement per event sent in one round trip. */
    public Uni<Void> recordAll(SqlConnection tx, List<Event> events, Instant at) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = events.stream()
                .map(e -> row(e.actor(), e.action(), e.objectType(), e.objectId(), e.after(), e.detail(), at)).toList();
        return tx.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }

    /** Records that {@code actor} did {@code action} to the object, whose state is now {@code after}. */
    public Uni<Void> record(SqlConnection tx, Actor actor, String action, String objectType, String objectId,
                            String after, String detail, Instant at) {
        return tx.preparedQuery(INSERT).execute(row(actor, action, objectType, objectId, after, detail, at))
                .replaceWithVoid();
    }

    /** {@link #INSERT}'s parameters for one new event (no state before it). */
    private static Tuple row(Actor actor, String action, String objectType, String objectId, String after,
                             String detail, Instant at) {
        return Tuple.tuple().addValue(TimeOrderedId.next()).addValue(actor.accountId()).addValue(actor.role())
                .addValue(actor.tokenId()).addValue(actor.requestId()).addValue(action).addValue(objectType)
                .addValue(objectId).addValue(null).addValue(after).addValue(detail).addValue(at.atOffset(ZoneOffset.UTC));
    }
}
