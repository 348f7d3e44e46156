package org.xenomarket.market.follow.move.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.follow.move.service.MovePlanner;
import org.xenomarket.market.follow.move.service.MoveProgress;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** The moves of a following lease: listed, and looked for now on the sponsor's request. */
@Path("/api/v1/leases/{id}/moves")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leases")
public class LeaseMoveResource {

    private final MovePlanner planner;
    private final MoveProgress progress;
    private final Caller caller;

    public LeaseMoveResource(MovePlanner planner, MoveProgress progress, Caller caller) {
        this.planner = planner;
        this.progress = progress;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The lease's moves to servers nearer its follow point, oldest first (the lease's sponsor, "
            + "the provider of its server)")
    public Uni<List<MoveView>> list(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR, Role.PROVIDER);
        return progress.ofLease(caller.accountId(), id).map(moves -> moves.stream().map(MoveView::of).toList());
    }

    @POST
    @Operation(summary = "Look now for a server nearer the lease's follow point, as a point update does, and book the "
            + "move if one has room at the bid's price: 201 with the move, 409 naming why there is none (the lease's "
            + "sponsor)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> consider(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR);
        return progress.ofLease(caller.accountId(), id).chain(visible -> planner.consider(id)).map(decision -> {
            if (!decision.booked()) {
                if ("leaseId".equals(decision.field())) {
                    throw new NotFound("lease", id);
                }
                throw new Conflict(decision.field(), decision.reason());
            }
            return Response.created(URI.create("/api/v1/leases/" + id + "/moves/" + decision.move().id))
                    .entity(MoveView.of(decision.move())).build();
        });
    }
}
