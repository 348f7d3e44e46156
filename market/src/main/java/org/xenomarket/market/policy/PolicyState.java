package org.xenomarket.market.policy;

/** Where a pricing policy version stands. */
public enum PolicyState {
    /** Stored and compiled, not pricing anything. */
    DRAFT,
    /** Prices every quote; exactly one version is active. */
    ACTIVE,
    /** Was active; may be activated again to roll back. */
    RETIRED
}
