package org.xenomarket.market.billing.rest;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.xenomarket.market.money.DecimalAmount;

/** A credit against one invoice line: how much, in the invoice's currency, and why. */
public record CreditRequest(
        @Schema(description = "amount to credit, a decimal string", example = "1.50") @Size(max = DecimalAmount.MAX_LENGTH) String amount,
        @Schema(description = "ISO 4217 code; must be the invoice's", example = "EUR") @Size(max = 3) String currency,
        @Schema(description = "why the line is corrected", example = "guest unreachable for 3 hours") @Size(max = 500) String reason) {
}
