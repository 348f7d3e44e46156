package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Where Stripe's Checkout page sends the sponsor's browser back to: after the card was saved, or
 * when the sponsor gave up. Absolute http(s) addresses, as Stripe requires.
 */
public record CheckoutRequest(
        @NotNull @Size(max = CheckoutRequest.MAX_URL) @Pattern(regexp = ABSOLUTE_URL, message = "must be an absolute http(s) URL")
        String successUrl,
        @NotNull @Size(max = CheckoutRequest.MAX_URL) @Pattern(regexp = ABSOLUTE_URL, message = "must be an absolute http(s) URL")
        String cancelUrl) {

    /** Stripe's own limit on these addresses is 5,000 characters; a console's are far shorter. */
    static final int MAX_URL = 2048;
    static final String ABSOLUTE_URL = "https?://[^\\s/?#]+[^\\s]*";
}
