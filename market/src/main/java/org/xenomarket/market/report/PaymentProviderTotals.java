package org.xenomarket.market.report;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.UUID;

/**
 * What the payment provider says was collected per invoice, net of refunds, in the invoice's minor
 * units: the third column of the reconciliation report. The payment package implements it from
 * its own records of the provider (its PaymentIntents and refunds); without an implementation the
 * column stays empty and the report says so.
 */
public interface PaymentProviderTotals {

    /** Net collected per invoice id, for the invoices given. */
    Uni<Map<UUID, Long>> collectedPerInvoice(java.util.Collection<UUID> invoiceIds);
}
