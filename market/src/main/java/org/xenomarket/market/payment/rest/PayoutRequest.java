package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * Pay a provider (part of) what the ledger says it is owed, in minor units: its payable, already net
 * of the platform fee that billing booked when it issued the invoices.
 */
public record PayoutRequest(
        @NotNull UUID providerId,
        @NotNull @Positive @Max(MAX_AMOUNT_MINOR) Long amountMinor,
        @NotNull @Size(max = 3) @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {

    /** A trillion minor units (ten billion euros): above any single payout or refund, and far from a long's overflow. */
    public static final long MAX_AMOUNT_MINOR = 1_000_000_000_000L;
}
