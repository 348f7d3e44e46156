package org.xenomarket.market.ledger;

/** The ledger's accounts; receivables and payables are kept per sponsor and per provider. */
public enum Account {
    /** What sponsors owe the platform: debited by invoices, credited by payments and credit notes. */
    SPONSOR_RECEIVABLE,
    /** What the platform owes providers: credited by invoices net of the fee, debited by payouts. */
    PROVIDER_PAYABLE,
    /** The platform's fee on every charge. */
    PLATFORM_FEE_REVENUE,
    /** Cash held at the payment provider: debited by payments, credited by refunds and payouts. */
    PROVIDER_CASH
}
