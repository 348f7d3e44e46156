package org.xenomarket.market.payment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.xenomarket.market.billing.CollectibleInvoice;
import org.xenomarket.market.billing.service.InvoiceHandover;
import org.xenomarket.market.payment.PayableInvoice;

/**
 * Takes the invoices billing has issued into collection: each one with something left to collect
 * is {@link InvoicePayments#collect collected} (its first attempt made), then marked handed over in
 * billing. Pulled by the payment sweep rather than pushed by the invoice run, so that billing knows
 * nothing of payments (no package cycle), only committed invoices are collected, and an invoice
 * left behind by a crash between the two steps is collected again, which {@code collect} makes
 * harmless.
 */
@ApplicationScoped
public class InvoiceIntake {

    private static final Logger LOG = Logger.getLogger(InvoiceIntake.class);

    private final InvoiceHandover billing;
    private final InvoicePayments payments;

    public InvoiceIntake(InvoiceHandover billing, InvoicePayments payments) {
        this.billing = billing;
        this.payments = payments;
    }

    /** Takes up to {@code limit} issued invoices into collection; returns how many were handed over. */
    public Uni<Integer> takeIssued(int limit) {
        return billing.awaiting(limit).chain(invoices -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (CollectibleInvoice invoice : invoices) {
                chain = chain.chain(done -> take(invoice)
                        .map(taken -> taken ? done + 1 : done));
            }
            return chain;
        });
    }

    private Uni<Boolean> take(CollectibleInvoice invoice) {
        // fully credited before hand-over: nothing to collect, but it is handed over all the same
        Uni<Void> collected = invoice.amountMinor() <= 0 ? Uni.createFrom().voidItem()
                : payments.collect(new PayableInvoice(invoice.invoiceId(), invoice.sponsorId(), invoice.amountMinor(),
                        invoice.currency())).replaceWithVoid();
        return collected.chain(() -> billing.handedOver(invoice)).replaceWith(true)
                .onFailure().invoke(e -> LOG.errorf(e, "Invoice %s not taken into collection; the next sweep retries",
                        invoice.invoiceId()))
                .onFailure().recoverWithItem(false);
    }
}
