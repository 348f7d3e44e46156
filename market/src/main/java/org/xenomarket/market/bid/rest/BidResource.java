package org.xenomarket.market.bid.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.bid.service.BidService;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Sponsors' bids for capacity. */
@Path("/api/v1/bids")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bids")
public class BidResource {

    private final BidService service;
    private final Caller caller;

    public BidResource(BidService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bid for capacity near a place; a reserved bid that fits is matched to a lease at once")
    public Uni<Response> submit(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                @Valid @NotNull CreateBidRequest request) {
        caller.require(Role.SPONSOR);
        return service.submit(caller.actor(), idempotencyKey, BidMapper.toOrder(request)).map(placed -> Response
                .status(placed.replayed() ? Response.Status.OK : Response.Status.CREATED)
                .location(URI.create("/api/v1/bids/" + placed.bid().id))
                .entity(BidMapper.toView(placed))
                .build());
    }

    @GET
    @Operation(summary = "The caller's bids, oldest first")
    public Uni<PageJson<BidView>> list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        caller.require(Role.SPONSOR);
        Cursor cursor = Cursor.of(after, limit);
        return service.page(caller.accountId(), cursor)
                .map(page -> PageJson.of(page, cursor.limit(), p -> p.bid().id, BidMapper::toView));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Withdraw one of the caller's open bids, saying why; a bid that became a lease answers 409 naming it")
    public Uni<BidView> cancel(@PathParam("id") UUID id, @Valid CancelBidRequest request) {
        caller.require(Role.SPONSOR);
        return service.cancel(caller.actor(), id, BidMapper.reasonOf(request)).map(BidMapper::toView);
    }

    /** The same without a body (no reason given): any other or no Content-Type lands here. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Withdraw one of the caller's open bids")
    public Uni<BidView> cancelWithoutReason(@PathParam("id") UUID id) {
        return cancel(id, null);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's bids, with its lease if matched")
    public Uni<BidView> get(@PathParam("id") UUID id) {
        caller.require(Role.SPONSOR);
        return service.get(caller.accountId(), id).map(BidMapper::toView);
    }
}
