package org.xenomarket.market.billing.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.billing.LineTrace;

/**
 * What lies behind an invoice line, as the API shows it: enough to recompute the line. A RESERVED
 * line: {@code quantity} = seconds of the lease's window within the period (cut at {@code failedAt};
 * {@code end} already moved to a pre-emption notice's end), {@code unitPrice} = the lease's vCPUs,
 * memory (MiB / 1024) and disk at its unit prices, which the line's {@code reservation} repeats
 * (lines issued before RESERVED lines: one per resource, {@code quantity} = resource × seconds,
 * {@code unitPrice} = that resource's price). Egress lines: the sum of
 * the rollups' {@code netTxBytes}; a late egress line (usage that arrived after its window was invoiced;
 * the window is that earlier period; the line's {@code correctsInvoiceId}/{@code correctsLineNo} name the
 * line of that period it adjusts): the rollups' bytes less the {@code otherEgressLines}' quantities.
 * Then {@code amountMinor} = minor_units(quantity × unitPrice,
 * quantityPerUnit), half even. Prices are decimal strings.
 */
public record LineTraceView(InvoiceView invoice, InvoiceView.LineView line, LeaseView lease, QuoteView quote,
                            String policyVersion, List<LineTrace.Rollup> rollups,
                            List<LineTrace.Record> usageRecords, List<EgressLineView> otherEgressLines) {

    /** Another egress line of the same lease and charged window; {@code quantity} in bytes, a decimal string. */
    public record EgressLineView(UUID invoiceId, int lineNo, String kind, String quantity, Instant issuedAt) {

        static EgressLineView of(LineTrace.BilledEgress b) {
            return new EgressLineView(b.invoiceId(), b.lineNo(), b.kind().name(), b.quantity().toPlainString(),
                    b.issuedAt());
        }
    }

    /** The lease's terms that rate the line. */
    public record LeaseView(UUID id, UUID sponsorId, UUID providerId, UUID serverId, String serviceClass, int vcpus,
                            long memoryMib, long diskGib, Instant start, Instant end, Instant failedAt,
                            Instant preemptedAt, String state, String currency, String unitVcpuHour,
                            String unitMemoryGibHour, String unitDiskGibHour, String unitEgressGb,
                            String policyVersion) {

        static LeaseView of(LineTrace.LeaseTerms l) {
            return new LeaseView(l.id(), l.sponsorId(), l.providerId(), l.serverId(), l.serviceClass(), l.vcpus(),
                    l.memoryMib(), l.diskGib(), l.startAt(), l.endAt(), l.failedAt(), l.preemptedAt(), l.state(),
                    l.currency(), l.unitVcpuHour().toPlainString(), l.unitMemoryGibHour().toPlainString(),
                    l.unitDiskGibHour().toPlainString(), l.unitEgressGb().toPlainString(), l.policyVersion());
        }
    }

    /** The quote that priced the lease. */
    public record QuoteView(UUID id, String policyVersion, String currency, String unitVcpuHour,
                            String unitMemoryGibHour, String unitDiskGibHour, String unitEgressGb, Instant createdAt) {

        static QuoteView of(LineTrace.QuoteTerms q) {
            return new QuoteView(q.id(), q.policyVersion(), q.currency(), q.unitVcpuHour().toPlainString(),
                    q.unitMemoryGibHour().toPlainString(), q.unitDiskGibHour().toPlainString(),
                    q.unitEgressGb().toPlainString(), q.createdAt());
        }
    }

    static LineTraceView of(LineTrace trace) {
        return new LineTraceView(InvoiceView.of(trace.invoice(), null), InvoiceView.LineView.of(trace.line()),
                LeaseView.of(trace.lease()), QuoteView.of(trace.quote()), trace.line().policyVersion(),
                trace.rollups(), trace.usageRecords(),
                trace.otherEgressLines().stream().map(EgressLineView::of).toList());
    }
}
