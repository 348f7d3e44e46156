package org.xenomarket.market.payment.service;

/**
 * What one call to Stripe came to, as far as the money is concerned. {@link Unknown} is the case
 * that matters most: the request may or may not have taken effect at Stripe, so it is resent later
 * with the same idempotency key, never a new one.
 */
public sealed interface StripeOutcome {

    /** The object was created and did its job (PaymentIntent succeeded, Transfer made). */
    record Done(String objectId) implements StripeOutcome {
    }

    /** Accepted, the result comes later by webhook (PaymentIntent processing). */
    record Processing(String objectId) implements StripeOutcome {
    }

    /** Stripe refused for good: card declined, authentication needed off-session, invalid request. */
    record Refused(String objectId, String reason) implements StripeOutcome {
    }

    /** No answer (time-out, reset connection) or a 5xx/429 after the client's own retries. */
    record Unknown(String reason) implements StripeOutcome {
    }
}
