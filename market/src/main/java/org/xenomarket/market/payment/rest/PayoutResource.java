package org.xenomarket.market.payment.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.xenomarket.market.payment.service.Payouts;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.Actor;

/** Providers' connected accounts and the payouts to them (Stripe Connect transfers). */
@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payments")
public class PayoutResource {

    private final Payouts payouts;
    private final Caller caller;

    public PayoutResource(Payouts payouts, Caller caller) {
        this.payouts = payouts;
        this.caller = caller;
    }

    @PUT
    @Path("/providers/{providerId}/connected-account")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the Stripe Connect account a provider's payouts go to (the provider itself, operators)")
    public Uni<PayoutView.Connected> connect(@PathParam("providerId") UUID providerId,
                                             @Valid @NotNull ConnectedAccountRequest request) {
        caller.require(Role.PROVIDER, Role.OPERATOR);
        if (caller.is(Role.PROVIDER) && !caller.accountId().equals(providerId)) {
            throw new NotFound("provider", providerId);
        }
        return payouts.connect(actor(), providerId, request.stripeAccountId()).map(PayoutView.Connected::of);
    }

    @POST
    @Path("/payouts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pay a provider (part of) its payable in the ledger, already net of the platform fee, by a"
            + " Stripe transfer; at most what is owed; "
            + "idempotent by Idempotency-Key (finance, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> pay(@HeaderParam("Idempotency-Key") String idempotencyKey,
                             @Valid @NotNull PayoutRequest request) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return payouts.pay(actor(), new Payouts.PayoutOrder(request.providerId(), idempotencyKey,
                        request.amountMinor(), request.currency()))
                .map(placed -> Response.status(placed.replayed() ? Response.Status.OK : Response.Status.CREATED)
                        .location(URI.create("/api/v1/payments/payouts/" + placed.payout().id))
                        .entity(PayoutView.of(placed.payout())).build());
    }

    @GET
    @Path("/payouts/{id}")
    @Operation(summary = "One payout (its provider, finance, operators)")
    public Uni<PayoutView> payout(@PathParam("id") UUID id) {
        caller.require(Role.PROVIDER, Role.FINANCE, Role.OPERATOR);
        return payouts.get(caller.is(Role.PROVIDER) ? caller.accountId() : null, id).map(PayoutView::of);
    }

    private Actor actor() {
        return caller.actor();
    }
}
