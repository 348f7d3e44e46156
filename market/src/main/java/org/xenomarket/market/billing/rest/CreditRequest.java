package org.xenomarket.market.billing.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A credit against one invoice line: how much, in the invoice's currency, and why. */
public record CreditRequest(
        @Schema(description = "amount to credit, a decimal string", example = "1.50") String amount,
        @Schema(description = "ISO 4217 code; must be the invoice's", example = "EUR") String currency,
        @Schema(description = "why the line is corrected", example = "guest unreachable for 3 hours") String reason) {
}
