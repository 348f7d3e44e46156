package org.xenomarket.market.payment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.report.PaymentProviderTotals;

/**
 * The payment provider's column of the reconciliation report: per invoice, what Stripe collected
 * by the PaymentIntent that paid it, less the refunds Stripe made, from the payment side's records.
 */
@ApplicationScoped
public class StripeCollections implements PaymentProviderTotals {

    private final InvoicePaymentRepository payments;

    public StripeCollections(InvoicePaymentRepository payments) {
        this.payments = payments;
    }

    @Override
    public Uni<Map<UUID, Long>> collectedPerInvoice(Collection<UUID> invoiceIds) {
        return Panache.withSession(() -> payments.collectedPerInvoice(invoiceIds)).map(rows -> {
            Map<UUID, Long> collected = new HashMap<>();
            for (Object[] row : rows) {
                collected.put((UUID) row[0], ((Number) row[1]).longValue());
            }
            return collected;
        });
    }
}
