package org.xenomarket.market.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One charge: {@code quantity / quantityPerUnit} priced units at {@code unitPrice}, rounded once to
 * {@code amountMinor}; with the lease, quote and policy version that priced it. A credit line names
 * the line it corrects.
 */
public record InvoiceLine(UUID invoiceId, int lineNo, LineKind kind, UUID leaseId, UUID providerId, UUID quoteId,
                          String policyVersion, Instant chargedFrom, Instant chargedTo, BigDecimal quantity,
                          long quantityPerUnit, BigDecimal unitPrice, long amountMinor, String currency, int rollups,
                          UUID correctsInvoiceId, Integer correctsLineNo, String reason) {
}
