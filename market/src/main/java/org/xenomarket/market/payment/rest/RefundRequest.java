package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Give part or all of a paid invoice back: the amount in minor units of the invoice's currency. */
public record RefundRequest(@NotNull @Positive @Max(PayoutRequest.MAX_AMOUNT_MINOR) Long amountMinor, @Size(max = 500) String reason) {
}
