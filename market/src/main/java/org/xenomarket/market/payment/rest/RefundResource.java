package org.xenomarket.market.payment.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.payment.service.Refunds;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Refunds of paid invoices, through Stripe. */
@Path("/api/v1/payments/invoices/{invoiceId}/refunds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payments")
public class RefundResource {

    private final Refunds refunds;
    private final Caller caller;

    public RefundResource(Refunds refunds, Caller caller) {
        this.refunds = refunds;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give part or all of a paid invoice back to its sponsor by a Stripe refund, never more than "
            + "was paid; idempotent by Idempotency-Key (finance, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<Response> refund(@PathParam("invoiceId") UUID invoiceId,
                                @HeaderParam("Idempotency-Key") String idempotencyKey,
                                @Valid @NotNull RefundRequest request) {
        caller.require(Role.FINANCE, Role.OPERATOR);
        return refunds.refund(caller.actor(),
                        new Refunds.RefundOrder(invoiceId, idempotencyKey, request.amountMinor(), request.reason()))
                .map(placed -> Response.status(placed.replayed() ? Response.Status.OK : Response.Status.CREATED)
                        .entity(RefundView.of(placed.refund())).build());
    }
}
