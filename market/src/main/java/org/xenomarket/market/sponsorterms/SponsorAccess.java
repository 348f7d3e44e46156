package org.xenomarket.market.sponsorterms;

/** Which sponsors a provider's servers take bids and quotes from. */
public enum SponsorAccess {
    /** Every sponsor. */
    ALL,
    /** Only the sponsors listed. */
    ALLOW_LIST,
    /** Every sponsor but those listed. */
    DENY_LIST
}
