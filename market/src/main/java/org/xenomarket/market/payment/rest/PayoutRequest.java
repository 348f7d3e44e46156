package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.UUID;

/**
 * Pay a provider (part of) what the ledger says it is owed, in minor units: its payable, already net
 * of the platform fee that billing booked when it issued the invoices.
 */
public record PayoutRequest(
        @NotNull UUID providerId,
        @NotNull @Positive Long amountMinor,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
}
