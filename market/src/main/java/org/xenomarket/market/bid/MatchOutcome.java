package org.xenomarket.market.bid;

import org.xenomarket.market.lease.Lease;

/** What immediate matching did with a bid: the lease it made, or why it made none. */
public record MatchOutcome(Lease lease, String reason) {

    public static MatchOutcome matched(Lease lease, String reason) {
        return new MatchOutcome(lease, reason);
    }

    public static MatchOutcome unmatched(String reason) {
        return new MatchOutcome(null, reason);
    }

    public boolean isMatched() {
        return lease != null;
    }
}
