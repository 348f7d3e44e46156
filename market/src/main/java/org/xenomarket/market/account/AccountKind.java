package org.xenomarket.market.account;

/** What an account does on the market. */
public enum AccountKind {
    SPONSOR,
    PROVIDER,
    OPERATOR
}
