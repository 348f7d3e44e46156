package org.xenomarket.market.billing.rest;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.billing.Invoice;
import org.xenomarket.market.billing.InvoiceLine;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.market.money.MoneyJson;

/** An invoice or credit note as the API shows it; {@code lines} only on the single-invoice endpoint. */
public record InvoiceView(UUID id, String kind, UUID sponsorId, Instant periodStart, Instant periodEnd, MoneyJson total,
                          long totalMinor, Instant issuedAt, UUID correctsInvoiceId, List<LineView> lines) {

    /**
     * One line: quantity / quantityPerUnit priced units at unitPrice, rounded once to amountMinor. A
     * RESERVED line's {@code reservation} (null on other lines) gives its unit price: vcpus ×
     * unitVcpuHour + memoryMib / 1024 × unitMemoryGibHour + diskGib × unitDiskGibHour.
     * {@code correctsInvoiceId} and {@code correctsLineNo} name the line a CREDIT line corrects, or
     * the line a LATE_EGRESS adjustment corrects (the lease's EGRESS line of that earlier period, or
     * its RESERVED line there when that period billed it no egress); null on other lines.
     */
    public record LineView(int lineNo, String kind, UUID leaseId, UUID providerId, UUID quoteId, String policyVersion,
                           Instant chargedFrom, Instant chargedTo, String quantity, long quantityPerUnit,
                           String unitPrice, MoneyJson amount, long amountMinor, int rollups,
                           UUID correctsInvoiceId, Integer correctsLineNo, String reason, ReservationView reservation) {

        static LineView of(InvoiceLine l) {
            return new LineView(l.lineNo(), l.kind().name(), l.leaseId(), l.providerId(), l.quoteId(),
                    l.policyVersion(), l.chargedFrom(), l.chargedTo(), l.quantity().toPlainString(), l.quantityPerUnit(),
                    l.unitPrice().toPlainString(), money(l.amountMinor(), l.currency()), l.amountMinor(), l.rollups(),
                    l.correctsInvoiceId(), l.correctsLineNo(), l.reason(), ReservationView.of(l.reservation()));
        }
    }

    /** The resources a RESERVED line charges and their unit prices (decimal strings). */
    public record ReservationView(int vcpus, long memoryMib, long diskGib, String unitVcpuHour,
                                  String unitMemoryGibHour, String unitDiskGibHour) {

        static ReservationView of(InvoiceLine.Reservation r) {
            return r == null ? null : new ReservationView(r.vcpus(), r.memoryMib(), r.diskGib(),
                    r.unitVcpuHour().toPlainString(), r.unitMemoryGibHour().toPlainString(),
                    r.unitDiskGibHour().toPlainString());
        }
    }

    static InvoiceView of(Invoice i, List<InvoiceLine> lines) {
        return new InvoiceView(i.id(), i.kind().name(), i.sponsorId(), i.period().start(), i.period().end(),
                money(i.totalMinor(), i.currency()), i.totalMinor(), i.issuedAt(), i.correctsId(),
                lines == null ? null : lines.stream().map(LineView::of).toList());
    }

    static MoneyJson money(long minor, String currency) {
        return MoneyJson.of(MinorUnits.toAmount(minor, Currency.getInstance(currency)), currency);
    }
}
