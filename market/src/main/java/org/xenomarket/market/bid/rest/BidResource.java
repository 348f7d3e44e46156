package org.xenomarket.market.bid.rest;

import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.site.service.RegionCentres;
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
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.bid.service.BidService;
import org.xenomarket.market.idempotency.Answer;
import org.xenomarket.market.idempotency.KeyedRequest;
import org.xenomarket.market.idempotency.rest.IdempotentResponses;
import org.xenomarket.market.idempotency.service.IdempotentRequests;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.paging.PageJson;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Sponsors' bids for capacity. */
@Path("/api/v1/bids")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bids")
public class BidResource {

    /** What a bid's Idempotency-Key is kept for: the key names this operation's answer. */
    static final String SUBMIT_OPERATION = "POST /api/v1/bids";

    private final BidService service;
    private final Caller caller;
    private final IdempotentRequests idempotency;
    private final IdempotentResponses responses;
    private final RegionCentres regionCentres;

    public BidResource(BidService service, Caller caller, IdempotentRequests idempotency,
                       IdempotentResponses responses, RegionCentres regionCentres) {
        this.regionCentres = regionCentres;
        this.service = service;
        this.caller = caller;
        this.idempotency = idempotency;
        this.responses = responses;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bid for capacity near a place; a reserved bid that fits is matched to a lease at once")
    @Extension(name = "x-answers", value = "409 422")
    public Uni<Response> submit(@HeaderParam(KeyedRequest.HEADER) String idempotencyKey,
                                @Valid @NotNull CreateBidRequest request) {
        caller.require(Role.SPONSOR);
        UUID sponsorId = caller.accountId();
        Actor sponsor = caller.actor();
        // The key is looked up before the bid is checked any further: a retry after the bid's start has
        // passed still gets the first answer. BidService sees no key; the first answer is kept here.
        Supplier<Uni<Answer>> place = () -> regionCentres.resolve(ClientPlaceJson.toWishes(request.clientPlaces()))
                .chain(places -> service.submit(sponsor, null, BidMapper.toOrder(request, places)))
                .map(placed -> responses.answer(Response.Status.CREATED.getStatusCode(),
                        "/api/v1/bids/" + placed.bid().id, BidMapper.toView(placed)));
        Uni<Answer> answer = idempotencyKey == null ? Uni.createFrom().deferred(() -> place.get())
                : idempotency.once(KeyedRequest.of(sponsorId, idempotencyKey, SUBMIT_OPERATION,
                        responses.parametersOf(request)), place);
        return answer.map(IdempotentResponses::toResponse);
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
    @Extension(name = "x-answers", value = "409")
    public Uni<BidView> cancel(@PathParam("id") UUID id, @Valid CancelBidRequest request) {
        caller.require(Role.SPONSOR);
        return service.cancel(caller.actor(), id, BidMapper.reasonOf(request)).map(BidMapper::toView);
    }

    /** The same without a body (no reason given): any other or no Content-Type lands here. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Withdraw one of the caller's open bids")
    @Extension(name = "x-answers", value = "409")
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
