package org.xenomarket.market.payment.rest;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.payment.service.InvoicePayments;
import org.xenomarket.market.payment.service.PaymentMethods;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.security.Caller;
import org.xenomarket.market.security.Role;

/** Sponsors' payment methods and the collection of their invoices through Stripe. */
@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Payments")
public class PaymentResource {

    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    private final PaymentMethods methods;
    private final InvoicePayments payments;
    private final Caller caller;

    public PaymentResource(PaymentMethods methods, InvoicePayments payments, Caller caller) {
        this.methods = methods;
        this.payments = payments;
        this.caller = caller;
    }

    @POST
    @Path("/setup-intents")
    @Operation(summary = "Start saving a payment method: a Stripe SetupIntent whose client secret the sponsor's "
            + "browser confirms; invoices are then charged to it off-session (sponsors)")
    public Uni<Response> setupIntent(@HeaderParam("Idempotency-Key") String idempotencyKey) {
        caller.require(Role.SPONSOR);
        return methods.startSetup(caller.accountId(), checkedKey(idempotencyKey))
                .map(started -> Response.status(Response.Status.CREATED).entity(SetupIntentView.of(started)).build());
    }

    @POST
    @Path("/checkout-sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start saving a card on Stripe's own Checkout page (setup mode): send the sponsor's browser "
            + "to the answer's url; it comes back to successUrl, and Stripe's webhook saves the card (sponsors)")
    public Uni<Response> checkoutSession(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                         @Valid @NotNull CheckoutRequest request) {
        caller.require(Role.SPONSOR);
        return methods.startCheckout(caller.accountId(), request.successUrl(), request.cancelUrl(),
                        checkedKey(idempotencyKey))
                .map(started -> Response.status(Response.Status.CREATED).entity(CheckoutView.of(started)).build());
    }

    @GET
    @Path("/method")
    @Operation(summary = "The sponsor's saved payment method, which invoices are charged to (sponsors)")
    public Uni<PaymentMethodView> method() {
        caller.require(Role.SPONSOR);
        return methods.saved(caller.accountId()).map(PaymentMethodView::of);
    }

    @GET
    @Path("/invoices/{invoiceId}")
    @Operation(summary = "Where the collection of an invoice stands, with its attempts (its sponsor, finance, operators)")
    public Uni<InvoicePaymentView> invoice(@PathParam("invoiceId") UUID invoiceId) {
        caller.require(Role.SPONSOR, Role.FINANCE, Role.OPERATOR);
        return payments.history(sponsorOrNull(), invoiceId).map(InvoicePaymentView::of);
    }

    @POST
    @Path("/invoices/{invoiceId}/retry")
    @Operation(summary = "Try a declined or written-off invoice again now, e.g. after saving a new payment method "
            + "(its sponsor, finance, operators)")
    @Extension(name = "x-answers", value = "409")
    public Uni<InvoicePaymentView> retry(@PathParam("invoiceId") UUID invoiceId) {
        caller.require(Role.SPONSOR, Role.FINANCE, Role.OPERATOR);
        return payments.retryNow(sponsorOrNull(), invoiceId).map(InvoicePaymentView::of);
    }

    /** Stripe takes keys of up to 255 characters; the market's own prefix and the sponsor's id take 50. */
    private static String checkedKey(String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        return idempotencyKey;
    }

    private UUID sponsorOrNull() {
        return caller.is(Role.SPONSOR) ? caller.accountId() : null;
    }
}
