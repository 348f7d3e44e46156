package org.xenomarket.market.billing;

/** What an issued billing document is. */
public enum InvoiceKind {
    /** Charges for a period, from an invoice run. */
    INVOICE,
    /** A correction of an issued invoice: negative lines that point at the lines they correct. */
    CREDIT_NOTE
}
