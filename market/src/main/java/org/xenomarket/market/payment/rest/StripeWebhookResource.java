package org.xenomarket.market.payment.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.xenomarket.market.payment.service.StripeWebhooks;

/** Stripe's webhook endpoint: no token, the Stripe-Signature header is checked instead. */
@Path("/api/v1/payments/stripe/webhook")
@Tag(name = "Payments")
public class StripeWebhookResource {

    /** The answer to a delivery Stripe may stop resending. */
    public record Received(boolean received, StripeWebhooks.Receipt outcome) {
    }

    private final StripeWebhooks webhooks;

    public StripeWebhookResource(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe's events (payment intents, setup intents), verified by their Stripe-Signature; "
            + "a bad signature or a timestamp more than 300 s off is refused with 400 and audited")
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, String payload,
                                 @Context HttpServerRequest request) {
        String from = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return webhooks.receive(payload == null ? "" : payload, signature, from).map(r -> new Received(true, r));
    }
}
