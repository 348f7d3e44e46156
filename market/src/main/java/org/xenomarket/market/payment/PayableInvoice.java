package org.xenomarket.market.payment;

import java.util.Objects;
import java.util.UUID;

/**
 * An issued invoice as the payment side needs it: whose it is and how much to collect. Billing
 * hands one to {@code InvoicePayments.collect}; the payment side keeps its own copy of these
 * figures, so it never reads billing's invoice tables.
 *
 * @param amountMinor the invoice's total in integer minor units of {@code currency}
 * @param currency    ISO 4217 code, upper case
 */
public record PayableInvoice(UUID invoiceId, UUID sponsorAccountId, long amountMinor, String currency) {

    public PayableInvoice {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(sponsorAccountId, "sponsorAccountId");
        Objects.requireNonNull(currency, "currency");
    }
}
