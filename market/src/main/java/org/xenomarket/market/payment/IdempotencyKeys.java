package org.xenomarket.market.payment;

import java.util.UUID;

/**
 * The Stripe idempotency keys the market sends, derived from what they protect, so a resend after
 * a lost answer (or a crash) carries the same key and Stripe answers with the first result.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /** One Customer per sponsor, ever. */
    public static String customer(UUID sponsorId) {
        return "xm-customer-" + sponsorId;
    }

    /** One PaymentIntent per invoice and attempt. */
    public static String paymentAttempt(UUID invoiceId, int attempt) {
        return "xm-invoice-" + invoiceId + "-attempt-" + attempt;
    }

    /** One Transfer per payout. */
    public static String payout(UUID payoutId) {
        return "xm-payout-" + payoutId;
    }

    /** One Refund per refund row. */
    public static String refund(UUID refundId) {
        return "xm-refund-" + refundId;
    }

    /** A SetupIntent per sponsor and the client's own Idempotency-Key, when it sent one. */
    public static String setupIntent(UUID sponsorId, String clientKey) {
        return "xm-setup-" + sponsorId + "-" + clientKey;
    }

    /** A Checkout Session (setup mode) per sponsor and the client's own Idempotency-Key, when it sent one. */
    public static String checkout(UUID sponsorId, String clientKey) {
        return "xm-checkout-" + sponsorId + "-" + clientKey;
    }
}
