package org.xenomarket.market.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Everything behind one invoice line, enough to recompute its amount: lease, quote, rollups, usage records. */
public record LineTrace(Invoice invoice, InvoiceLine line, LeaseTerms lease, QuoteTerms quote, List<Rollup> rollups,
                        List<Record> usageRecords, List<BilledEgress> otherEgressLines) {

    /**
     * Another egress line (EGRESS or LATE_EGRESS) of the same lease and charged window: with this
     * one, they bill the window's rollups, so a late line's quantity is the rollups' bytes less theirs.
     */
    public record BilledEgress(UUID invoiceId, int lineNo, LineKind kind, java.math.BigDecimal quantity,
                               Instant issuedAt) {
    }

    /** The lease as billing reads it: resources, window, how it ended, agreed unit prices. */
    public record LeaseTerms(UUID id, UUID sponsorId, UUID providerId, UUID serverId, String serviceClass, int vcpus,
                             long memoryMib, long diskGib, Instant startAt, Instant endAt, Instant failedAt,
                             Instant preemptedAt, String state, String currency, BigDecimal unitVcpuHour,
                             BigDecimal unitMemoryGibHour, BigDecimal unitDiskGibHour, BigDecimal unitEgressGb,
                             String policyVersion) {
    }

    /** The quote that priced the lease. */
    public record QuoteTerms(UUID id, String policyVersion, String currency, BigDecimal unitVcpuHour,
                             BigDecimal unitMemoryGibHour, BigDecimal unitDiskGibHour, BigDecimal unitEgressGb,
                             Instant createdAt) {
    }

    /** One hourly usage rollup of the lease, identified by lease and hour. */
    public record Rollup(UUID leaseId, Instant hour, long netTxBytes, long netRxBytes, long diskReadBytes,
                         long diskWriteBytes, long cpuNanos, int records) {
    }

    /**
     * One signed usage record of the lease, identified by node and sequence: signed alone
     * ({@code signature}, base64) or within a signed batch ({@code batchId}; signature null).
     */
    public record Record(UUID nodeId, long sequence, Instant t0, Instant t1, long netTxBytes, long diskReadBytes,
                         long diskWriteBytes, long cpuNanos, String signature, UUID batchId) {
    }
}
