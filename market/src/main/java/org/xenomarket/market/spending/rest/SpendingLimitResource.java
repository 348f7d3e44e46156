package org.xenomarket.market.spending.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.spending.service.SpendingLimits;

/** The calling sponsor's monthly spending limit. */
@Path("/api/v1/sponsors/me/spending-limit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Spending limits")
public class SpendingLimitResource {

    private final SpendingLimits limits;
    private final Caller caller;

    public SpendingLimitResource(SpendingLimits limits, Caller caller) {
        this.limits = limits;
        this.caller = caller;
    }

    @PUT
    @Operation(summary = "Set the monthly limit: bids whose worst case would pass it are refused")
    public Uni<SpendingLimitView> set(@Valid SpendingLimitRequest request) {
        caller.require(Role.SPONSOR);
        SpendingLimitRequest body = request == null ? new SpendingLimitRequest(null, null) : request;
        return limits.set(caller.actor(), caller.accountId(),
                        body.amount(), body.currency())
                .map(SpendingLimitView::of);
    }

    @GET
    @Operation(summary = "The monthly limit and the room left this month")
    public Uni<SpendingLimitView> get() {
        caller.require(Role.SPONSOR);
        return limits.get(caller.accountId()).map(SpendingLimitView::of);
    }
}
