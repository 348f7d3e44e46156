package org.xenomarket.market.ledger;

/** The business event a journal entry records. */
public enum EntryKind {
    INVOICE, CREDIT_NOTE, PAYMENT, REFUND, PAYOUT,
    /** A refund Stripe accepted and later reported failed: its entry reversed. */
    REFUND_FAILED,
    /** A payment charged back by a dispute the platform lost: out of cash, back on the receivable. */
    DISPUTE_LOST
}
