package org.xenomarket.market.audit.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.AuditFilter;
import org.xenomarket.market.audit.service.AuditTrail;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The audit log, read and filtered by finance and operators. */
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
    @Operation(summary = "Audit events, a page at a time, filtered by acting account, action, subject, time range and "
            + "request id; each with the token and request id that made it (finance, operators)")
    public Uni<PageJson<AuditEventView>> page(
            @Parameter(description = "the acting account's id") @QueryParam("actor") String actor,
            @Parameter(description = "e.g. bid.placed, token.revoke") @QueryParam("action") String action,
            @Parameter(description = "the subject's type, e.g. bid, server, api-token") @QueryParam("objectType")
            String objectType,
            @Parameter(description = "the subject's id") @QueryParam("objectId") String objectId,
            @Parameter(description = "first instant, inclusive (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "last instant, exclusive (ISO-8601)") @QueryParam("to") String to,
            @Parameter(description = "the X-Request-Id of the request that made the change") @QueryParam("requestId")
            String requestId,
            @Parameter(description = "oldest (default) or newest first") @QueryParam("order") String order,
            @Parameter(description = "the next of the previous page") @QueryParam("after") String after,
            @Parameter(description = "page size, 1 to 500 (default 50)") @QueryParam("limit") String limit) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        AuditFilter filter = AuditMapper.toFilter(actor, action, objectType, objectId, from, to, requestId);
        boolean newestFirst = AuditMapper.newestFirst(order);
        Cursor cursor = Cursor.of(after, limit);
        return trail.page(filter, cursor, newestFirst)
                .map(events -> PageJson.of(events, cursor.limit(), e -> e.id, AuditEventView::of));
    }
}
