package org.xenomarket.market.ledger;

/** The business event a journal entry records. */
public enum EntryKind {
    INVOICE, CREDIT_NOTE, PAYMENT, REFUND, PAYOUT
}
