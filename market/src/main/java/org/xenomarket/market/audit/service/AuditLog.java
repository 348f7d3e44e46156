package org.xenomarket.market.audit.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.repository.AuditRepository;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.security.Actor;

/** Writes audit events inside the caller's transaction, so a change and its record commit together. */
@ApplicationScoped
public class AuditLog {

    private final AuditRepository events;
    private final Clock clock;

    public AuditLog(AuditRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public Uni<AuditEvent> record(Actor actor, String action, String objectType, String objectId, String before,
                                  String after, String detail) {
        return events.persist(event(actor, action, objectType, objectId, before, after, detail));
    }

    /**
     * As {@link #record}, written at once as one statement on the session's connection rather than persisted
     * as an entity: for the request path, where the session holds no pending changes (nothing is flushed first).
     */
    public Uni<Void> write(Actor actor, String action, String objectType, String objectId, String before,
                           String after, String detail) {
        return events.insert(event(actor, action, objectType, objectId, before, after, detail));
    }

    private AuditEvent event(Actor actor, String action, String objectType, String objectId, String before,
                             String after, String detail) {
        AuditEvent event = new AuditEvent();
        event.id = TimeOrderedId.next();
        event.actorId = actor.accountId();
        event.actorRole = actor.role();
        event.actorTokenId = actor.tokenId();
        event.requestId = actor.requestId();
        event.action = action;
        event.objectType = objectType;
        event.objectId = objectId;
        event.before = before;
        event.after = after;
        event.detail = detail;
        event.at = clock.instant();
        return event;
    }
}
