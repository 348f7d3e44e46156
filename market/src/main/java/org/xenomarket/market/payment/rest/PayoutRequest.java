package org.xenomarket.market.payment.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.UUID;

/** Pay a provider what it earned: the gross, before the platform fee, in minor units. */
public record PayoutRequest(
        @NotNull UUID providerId,
        @NotNull @Positive Long grossAmountMinor,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
}
