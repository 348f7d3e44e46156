package org.xenomarket.market.spending.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A monthly spending limit to set. */
public record SpendingLimitRequest(
        @Schema(description = "the most the sponsor may commit per UTC month, a decimal string", example = "500.00")
        String amount,
        @Schema(description = "ISO 4217 code; the market's currency", example = "EUR") String currency) {
}
