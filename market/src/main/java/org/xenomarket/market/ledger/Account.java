package org.xenomarket.market.ledger;

/** The ledger's accounts; receivables and payables are kept per sponsor and per provider. */
public enum Account {
    /**
     * What sponsors owe the platform: debited by invoices, refunds and lost disputes; credited by
     * payments, credit notes and the reversals of failed refunds.
     */
    SPONSOR_RECEIVABLE,
    /** What the platform owes providers: credited by invoices net of the fee, debited by payouts. */
    PROVIDER_PAYABLE,
    /** The platform's fee on every charge. */
    PLATFORM_FEE_REVENUE,
    /**
     * Cash held at the payment provider: debited by payments and by failed refunds' reversals,
     * credited by refunds, payouts and lost disputes.
     */
    PROVIDER_CASH
}
