package org.xenomarket.market.audit.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.repository.AuditRepository;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The audit log of one object, for finance and operators. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    /** One audit event as the API shows it. */
    public record AuditEventView(UUID id, UUID actorId, String actorRole, String action, String objectType,
                                 String objectId, String before, String after, String detail, Instant at) {

        static AuditEventView of(AuditEvent e) {
            return new AuditEventView(e.id, e.actorId, e.actorRole, e.action, e.objectType, e.objectId, e.before,
                    e.after, e.detail, e.at);
        }
    }

    private final AuditRepository events;
    private final Caller caller;

    public AuditResource(AuditRepository events, Caller caller) {
        this.events = events;
        this.caller = caller;
    }

    @GET
    @WithSession
    @Operation(summary = "What was done to an object, oldest first (finance, operators)")
    public Uni<List<AuditEventView>> ofObject(@QueryParam("objectType") String objectType,
                                              @QueryParam("objectId") String objectId) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        if (objectType == null || objectType.isBlank()) {
            throw new InvalidInput("objectType", "is required, e.g. pricing-policy");
        }
        if (objectId == null || objectId.isBlank()) {
            throw new InvalidInput("objectId", "is required");
        }
        return events.ofObject(objectType, objectId).map(list -> list.stream().map(AuditEventView::of).toList());
    }
}
