package org.xenomarket.market.billing.rest;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Which period to invoice. */
public record InvoiceRunRequest(
        @Schema(description = "first instant billed, a whole UTC hour", example = "2026-11-01T00:00:00Z") Instant periodStart,
        @Schema(description = "first instant not billed; default: one billing period (xenomarket.billing.period) later",
                example = "2026-12-01T00:00:00Z") Instant periodEnd) {
}
