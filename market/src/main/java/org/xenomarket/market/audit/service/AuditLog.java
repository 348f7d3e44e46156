package org.xenomarket.market.audit.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.repository.AuditRepository;
import org.xenomarket.market.id.TimeOrderedId;

/** Writes audit events inside the caller's transaction, so a change and its record commit together. */
@ApplicationScoped
public class AuditLog {

    /** Who acted: an account with a role, or the market itself (no account). */
    public record Actor(UUID accountId, String role) {

        public static final Actor MARKET = new Actor(null, "market");
    }

    private final AuditRepository events;
    private final Clock clock;

    public AuditLog(AuditRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public Uni<AuditEvent> record(Actor actor, String action, String objectType, String objectId, String before,
                                  String after, String detail) {
        AuditEvent event = new AuditEvent();
        event.id = TimeOrderedId.next();
        event.actorId = actor.accountId();
        event.actorRole = actor.role();
        event.action = action;
        event.objectType = objectType;
        event.objectId = objectId;
        event.before = before;
        event.after = after;
        event.detail = detail;
        event.at = clock.instant();
        return events.persist(event);
    }
}
