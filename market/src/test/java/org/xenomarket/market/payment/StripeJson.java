package org.xenomarket.market.payment;

import com.stripe.Stripe;
import java.util.UUID;

/**
 * Stripe-shaped JSON for the stand-in's answers and the test's webhook events, with the fields
 * stripe-java reads (after Stripe's API reference for Customer, SetupIntent, PaymentIntent,
 * Transfer, Event and errors).
 */
public final class StripeJson {

    private StripeJson() {
    }

    public static String customer(String id, String name) {
        return """
                {"id": "%s", "object": "customer", "name": "%s", "livemode": false, "created": 1764800000,
                 "metadata": {}}""".formatted(id, name);
    }

    public static String setupIntent(String id, String customerId, String status, String paymentMethod) {
        return """
                {"id": "%s", "object": "setup_intent", "client_secret": "%s_secret_standin", "customer": "%s",
                 "status": "%s", "usage": "off_session", "payment_method": %s, "livemode": false,
                 "created": 1764800000, "metadata": {}}"""
                .formatted(id, id, customerId, status, paymentMethod == null ? "null" : "\"" + paymentMethod + "\"");
    }

    public static String paymentIntent(String id, UUID invoiceId, int attempt, long amount, String currency,
                                       String status, String declineMessage) {
        String error = declineMessage == null ? "null" : """
                {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                 "message": "%s"}""".formatted(declineMessage);
        return """
                {"id": "%s", "object": "payment_intent", "amount": %d, "amount_received": %d, "currency": "%s",
                 "status": "%s", "customer": "cus_standin", "payment_method": "pm_standin", "livemode": false,
                 "created": 1764800000, "confirmation_method": "automatic", "capture_method": "automatic",
                 "last_payment_error": %s,
                 "metadata": {"xenomarket_invoice_id": "%s", "xenomarket_attempt": "%d"}}"""
                .formatted(id, amount, "succeeded".equals(status) ? amount : 0, currency.toLowerCase(), status, error,
                        invoiceId, attempt);
    }

    /** The 402 Stripe answers a declined off-session confirmation with. */
    public static String cardDeclined(String intentId, UUID invoiceId, int attempt, long amount, String currency) {
        return """
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                 "message": "Your card has insufficient funds.",
                 "payment_intent": %s}}"""
                .formatted(paymentIntent(intentId, invoiceId, attempt, amount, currency, "requires_payment_method",
                        "Your card has insufficient funds."));
    }

    public static String transfer(String id, long amount, String currency, String destination) {
        return """
                {"id": "%s", "object": "transfer", "amount": %d, "currency": "%s", "destination": "%s",
                 "livemode": false, "created": 1764800000, "reversed": false, "metadata": {}}"""
                .formatted(id, amount, currency.toLowerCase(), destination);
    }

    public static String serverError() {
        return """
                {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}""";
    }

    /** A webhook event around {@code objectJson}, in the library's API version. */
    public static String event(String id, String type, String objectJson) {
        return """
                {"id": "%s", "object": "event", "api_version": "%s", "created": %d, "livemode": false,
                 "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null}, "type": "%s",
                 "data": {"object": %s}}"""
                .formatted(id, Stripe.API_VERSION, System.currentTimeMillis() / 1000, type, objectJson);
    }

    public static String newId(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
