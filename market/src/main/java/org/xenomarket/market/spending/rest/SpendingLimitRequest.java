package org.xenomarket.market.spending.rest;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.xenomarket.market.money.DecimalAmount;

/** A monthly spending limit to set. */
public record SpendingLimitRequest(
        @Schema(description = "the most the sponsor may commit per UTC month, a decimal string", example = "500.00")
        @Size(max = DecimalAmount.MAX_LENGTH) String amount,
        @Schema(description = "ISO 4217 code; the market's currency", example = "EUR") @Size(max = 3) String currency) {
}
