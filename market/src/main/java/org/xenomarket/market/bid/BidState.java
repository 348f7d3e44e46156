package org.xenomarket.market.bid;

/** Where a bid stands. */
public enum BidState {
    /** Not matched yet; {@code stateReason} says why. */
    OPEN,
    /** Became a lease. */
    MATCHED,
    CANCELLED,
    EXPIRED
}
