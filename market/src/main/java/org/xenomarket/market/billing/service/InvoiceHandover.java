package org.xenomarket.market.billing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.xenomarket.market.billing.CollectibleInvoice;
import org.xenomarket.market.billing.repository.HandoverRepository;

/**
 * Billing's side of collection: the issued invoices not yet handed to the payment side, and the
 * record that one was. The payment side pulls from here (it depends on billing, never the other
 * way), so an invoice is handed over only once its run has committed, and one a crash left behind
 * is simply pulled again by the next sweep.
 */
@ApplicationScoped
public class InvoiceHandover {

    private final HandoverRepository handovers;
    private final Clock clock;

    public InvoiceHandover(HandoverRepository handovers, Clock clock) {
        this.handovers = handovers;
        this.clock = clock;
    }

    /** Up to {@code limit} issued invoices awaiting hand-over, oldest first, with what is left to collect. */
    public Uni<List<CollectibleInvoice>> awaiting(int limit) {
        return handovers.awaiting(limit);
    }

    /** Records that {@code invoice} was handed over (idempotent). */
    public Uni<Void> handedOver(CollectibleInvoice invoice) {
        return handovers.handedOver(invoice.invoiceId(), invoice.amountMinor(), clock.instant());
    }
}
