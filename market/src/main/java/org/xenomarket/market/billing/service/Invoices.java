package org.xenomarket.market.billing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.billing.Invoice;
import org.xenomarket.market.billing.InvoiceLine;
import org.xenomarket.market.billing.LineKind;
import org.xenomarket.market.billing.LineTrace;
import org.xenomarket.market.billing.repository.InvoiceRepository;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.problem.NotFound;

/**
 * Reads issued invoices and what lies behind their lines. A sponsor sees its own documents only;
 * {@code sponsorId} null means the caller sees every sponsor's (finance, operators).
 */
@ApplicationScoped
public class Invoices {

    /** An invoice or credit note with its lines. */
    public record Issued(Invoice invoice, List<InvoiceLine> lines) {
    }

    private final InvoiceRepository invoices;

    public Invoices(InvoiceRepository invoices) {
        this.invoices = invoices;
    }

    public Uni<List<Invoice>> page(UUID sponsorId, Cursor cursor) {
        return invoices.page(sponsorId, cursor.after(), cursor.limit());
    }

    public Uni<Issued> get(UUID sponsorId, UUID invoiceId) {
        return visible(sponsorId, invoiceId).chain(invoice -> invoices.lines(invoiceId)
                .map(lines -> new Issued(invoice, lines)));
    }

    /** The lease, quote, policy version, rollups and usage records behind line {@code lineNo}. */
    public Uni<LineTrace> trace(UUID sponsorId, UUID invoiceId, int lineNo) {
        return visible(sponsorId, invoiceId).chain(invoice -> invoices.line(invoiceId, lineNo)
                .onItem().ifNull().failWith(() -> new NotFound("line", lineNo + " of invoice " + invoiceId))
                .chain(line -> invoices.lease(line.leaseId())
                        .chain(lease -> invoices.quote(line.quoteId())
                                .chain(quote -> usageBehind(line)
                                        .map(usage -> new LineTrace(invoice, line, lease, quote, usage.rollups(),
                                                usage.usageRecords(), usage.otherEgressLines()))))));
    }

    /**
     * Only egress lines (on time or late) were counted from usage; reserved lines and credits have
     * none behind them. An egress line also names the other egress lines of its lease and window.
     * An egress line bills what its quote's server reported (a moved lease has one per server, whose
     * windows share the hour of the move); a late egress line bills the lease's whole period.
     */
    private Uni<LineTrace> usageBehind(InvoiceLine line) {
        if (line.kind() != LineKind.EGRESS && line.kind() != LineKind.LATE_EGRESS) {
            return Uni.createFrom().item(new LineTrace(null, line, null, null, List.of(), List.of(), List.of()));
        }
        UUID onServerOf = line.kind() == LineKind.EGRESS ? line.quoteId() : null;
        return invoices.rollups(line.leaseId(), line.chargedFrom(), line.chargedTo(), onServerOf)
                .chain(rollups -> invoices.records(line.leaseId(), line.chargedFrom(), line.chargedTo(), onServerOf)
                        .chain(records -> invoices.egressLines(line.leaseId(), line.chargedFrom(), line.chargedTo())
                                .map(billed -> new LineTrace(null, line, null, null, rollups, records,
                                        billed.stream().filter(b -> !(b.invoiceId().equals(line.invoiceId())
                                                && b.lineNo() == line.lineNo())).toList()))));
    }

    private Uni<Invoice> visible(UUID sponsorId, UUID invoiceId) {
        return invoices.find(invoiceId).map(invoice -> {
            if (invoice == null || (sponsorId != null && !sponsorId.equals(invoice.sponsorId()))) {
                throw new NotFound("invoice", invoiceId);
            }
            return invoice;
        });
    }
}
