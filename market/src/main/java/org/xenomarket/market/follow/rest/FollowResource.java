package org.xenomarket.market.follow.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.follow.service.FollowService;
import org.xenomarket.market.follow.service.NewFollowPoint;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The point a lease follows, moved by its sponsor or by a device token of that one lease. */
@Path("/api/v1/leases/{id}/follow")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leases")
public class FollowResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FollowResource.class);

    private final FollowService service;
    private final Caller caller;
    private final org.xenomarket.market.follow.move.service.MovePlanner planner;

    public FollowResource(FollowService service, Caller caller, org.xenomarket.market.follow.move.service.MovePlanner planner) {
        this.planner = planner;
        this.service = service;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set or move the point the lease follows (the lease's sponsor, or its device token); at "
            + "most once per the market's interval per lease (default 10 s): sooner is 429 with Retry-After and "
            + "changes nothing")
    @Extension(name = "x-answers", value = "409")
    public Uni<FollowView> follow(@PathParam("id") UUID id, @Valid @NotNull FollowRequest request) {
        caller.require(Role.SPONSOR, Role.DEVICE);
        return service.follow(asker(), id, new NewFollowPoint(request.latitude(), request.longitude(),
                        request.moveWhenNearerByKm()))
                // the point moved: the lease may now have a nearer server; whether or not it moves, the
                // point is stored, and a failure to plan the move is logged, not the sponsor's answer
                .call(point -> planner.consider(id)
                        .invoke(decision -> LOG.debugf("lease %s after its point moved: %s", id,
                                decision.booked() ? "move " + decision.move().id + " booked" : decision.reason()))
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf(failure, "lease %s: looking for a nearer server failed", id);
                            return null;
                        }))
                .map(point -> FollowView.of(point, service.minInterval()));
    }

    @GET
    @Operation(summary = "The point the lease follows (the lease's sponsor, or its device token); 404 when none")
    public Uni<FollowView> point(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.DEVICE);
        return service.point(asker(), id).map(point -> FollowView.of(point, service.minInterval()));
    }

    @POST
    @Path("/device-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A token for a device (a phone, a car) that can only read and move this lease's follow "
            + "point, good until the lease ends; its secret is in this answer only (the lease's sponsor)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> deviceToken(@PathParam("id") UUID id, @Valid DeviceTokenRequest request) {
        caller.require(Role.SPONSOR);
        return service.deviceToken(caller.actor(), id, request == null ? null : request.label())
                .map(made -> Response.created(URI.create("/api/v1/tokens/" + made.token().id))
                        .entity(DeviceTokenView.of(made)).build());
    }

    private FollowService.Asker asker() {
        return new FollowService.Asker(caller.actor(), caller.is(Role.DEVICE) ? caller.leaseId() : null);
    }
}
