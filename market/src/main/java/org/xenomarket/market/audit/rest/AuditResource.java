package org.xenomarket.market.audit.rest;

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
import org.xenomarket.market.audit.service.AuditTrail;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The audit log of one object, for finance and operators. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    /**
     * One audit event as the API shows it; {@code requestId} is the X-Request-Id of the request
     * that made the change and {@code actorTokenId} the token that sent it (both null for the
     * market's own acts and for events recorded before they were kept).
     */
    public record AuditEventView(UUID id, UUID actorId, String actorRole, String action, String objectType,
                                 String objectId, String before, String after, String detail, Instant at,
                                 UUID actorTokenId, String requestId) {

        static AuditEventView of(AuditEvent e) {
            return new AuditEventView(e.id, e.actorId, e.actorRole, e.action, e.objectType, e.objectId, e.before,
                    e.after, e.detail, e.at, e.actorTokenId, e.requestId);
        }
    }

    private final AuditTrail trail;
    private final Caller caller;

    public AuditResource(AuditTrail trail, Caller caller) {
        this.trail = trail;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "What was done to an object, oldest first, each change with the request id its answer carried "
            + "(finance, operators)")
    public Uni<List<AuditEventView>> ofObject(@QueryParam("objectType") String objectType,
                                              @QueryParam("objectId") String objectId) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return trail.ofObject(objectType, objectId).map(list -> list.stream().map(AuditEventView::of).toList());
    }
}
