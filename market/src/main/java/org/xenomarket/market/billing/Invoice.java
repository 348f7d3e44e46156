package org.xenomarket.market.billing;

import java.time.Instant;
import java.util.UUID;

/** An issued invoice or credit note of one sponsor in one currency; never changed after issue. */
public record Invoice(UUID id, InvoiceKind kind, UUID runId, UUID correctsId, UUID sponsorId, BillingPeriod period,
                      String currency, long totalMinor, Instant issuedAt) {
}
