package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The provider's Stripe Connect account id. */
public record ConnectedAccountRequest(
        @NotNull @Size(max = 255) @Pattern(regexp = "acct_[A-Za-z0-9]{1,250}", message = "must be a Stripe account id, acct_...")
        String stripeAccountId) {
}
