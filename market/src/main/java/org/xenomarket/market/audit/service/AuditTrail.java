package org.xenomarket.market.audit.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.repository.AuditRepository;
import org.xenomarket.market.problem.InvalidInput;

/** Reads the audit log: what was done to one object. */
@ApplicationScoped
public class AuditTrail {

    private final AuditRepository events;

    public AuditTrail(AuditRepository events) {
        this.events = events;
    }

    /** The object's events, oldest first; both names are required (400 naming the one missing). */
    @WithSession
    public Uni<List<AuditEvent>> ofObject(String objectType, String objectId) {
        if (objectType == null || objectType.isBlank()) {
            throw new InvalidInput("objectType", "is required, e.g. pricing-policy");
        }
        if (objectId == null || objectId.isBlank()) {
            throw new InvalidInput("objectId", "is required");
        }
        return events.ofObject(objectType, objectId);
    }
}
