package org.xenomarket.market.audit.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.AuditFilter;
import org.xenomarket.market.database.SessionSql;

/** The audit log. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEvent, UUID> {

    /**
     * Stores an event in the caller's transaction as one statement on the session's connection (not managed by
     * the session afterwards); nothing is flushed first, so the session must hold no pending changes.
     */
    public Uni<Void> insert(AuditEvent event) {
        return SessionSql.execute(AuditStatements.INSERT, event.id, event.actorId, event.actorRole, event.actorTokenId,
                event.requestId, event.action, event.objectType, event.objectId, event.before, event.after,
                event.detail, event.at.atOffset(ZoneOffset.UTC)).replaceWithVoid();
    }

    /**
     * One page of the events the filter lets through, by id (ids are time-ordered, so this is by time):
     * oldest first after the cursor, or newest first before it.
     */
    public Uni<List<AuditEvent>> page(AuditFilter filter, UUID cursor, int limit, boolean newestFirst) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (filter.actorId() != null) {
            where.add("actorId = :actor");
            parameters.and("actor", filter.actorId());
        }
        if (filter.action() != null) {
            where.add("action = :action");
            parameters.and("action", filter.action());
        }
        if (filter.objectType() != null) {
            where.add("objectType = :objectType");
            parameters.and("objectType", filter.objectType());
        }
        if (filter.objectId() != null) {
            where.add("objectId = :objectId");
            parameters.and("objectId", filter.objectId());
        }
        if (filter.from() != null) {
            where.add("at >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("at < :to");
            parameters.and("to", filter.to());
        }
        if (filter.requestId() != null) {
            where.add("requestId = :requestId");
            parameters.and("requestId", filter.requestId());
        }
        if (cursor != null) {
            where.add(newestFirst ? "id < :cursor" : "id > :cursor");
            parameters.and("cursor", cursor);
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        Sort sort = newestFirst ? Sort.descending("id") : Sort.ascending("id");
        return find(query, sort, parameters).page(Page.ofSize(limit)).list();
    }
}
