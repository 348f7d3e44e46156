package org.xenomarket.market.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One charge: {@code quantity / quantityPerUnit} priced units at {@code unitPrice}, rounded once to
 * {@code amountMinor}; with the lease, quote and policy version that priced it. A credit line, and a
 * LATE_EGRESS adjustment line, name the line they correct. A RESERVED line carries the {@link Reservation} it charges.
 */
public record InvoiceLine(UUID invoiceId, int lineNo, LineKind kind, UUID leaseId, UUID providerId, UUID quoteId,
                          String policyVersion, Instant chargedFrom, Instant chargedTo, BigDecimal quantity,
                          long quantityPerUnit, BigDecimal unitPrice, long amountMinor, String currency, int rollups,
                          UUID correctsInvoiceId, Integer correctsLineNo, String reason, Reservation reservation) {

    /**
     * The lease's reserved resources and their unit prices, as a RESERVED line charged them: its unit
     * price is vcpus × unitVcpuHour + memoryMib / 1024 × unitMemoryGibHour + diskGib × unitDiskGibHour,
     * its quantity the seconds charged.
     */
    public record Reservation(int vcpus, long memoryMib, long diskGib, BigDecimal unitVcpuHour,
                              BigDecimal unitMemoryGibHour, BigDecimal unitDiskGibHour) {
    }
}
