package org.xenomarket.market.audit.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;

/**
 * Audit events written on a reactive SQL connection, for changes made straight in SQL (billing,
 * the ledger): the event commits or rolls back with the change it records.
 */
@ApplicationScoped
public class AuditStatements {

    private static final String INSERT = """
            INSERT INTO audit_event (id, actor_id, actor_role, action, object_type, object_id, before, after, detail, at)
            VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)
            """;

    /** Records that {@code actor} did {@code action} to the object, whose state is now {@code after}. */
    public Uni<Void> record(SqlConnection tx, AuditLog.Actor actor, String action, String objectType, String objectId,
                            String after, String detail, Instant at) {
        return tx.preparedQuery(INSERT).execute(Tuple.tuple().addValue(TimeOrderedId.next()).addValue(actor.accountId())
                .addValue(actor.role()).addValue(action).addValue(objectType).addValue(objectId).addValue(after)
                .addValue(detail).addValue(at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }
}
