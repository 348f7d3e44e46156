package org.xenomarket.market.billing;

import java.time.Instant;
import java.util.UUID;

/** One invoice run: every sponsor billed for one period at once, and what it issued. */
public record InvoiceRun(UUID id, BillingPeriod period, Instant startedAt, int invoices, int lines, long totalMinor) {
}
