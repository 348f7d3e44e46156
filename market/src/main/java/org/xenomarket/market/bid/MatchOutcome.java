package org.xenomarket.market.bid;

import org.xenomarket.market.lease.Lease;

/**
 * What immediate matching did with a bid: the lease it made, or why it made none. {@code stillOpen}
 * when the reason was stored on the bid while it was still OPEN, so the stored bid is known without
 * reading it again; false when matching cannot tell (e.g. the bid was cancelled meanwhile).
 */
public record MatchOutcome(Lease lease, String reason, boolean stillOpen) {

    public static MatchOutcome matched(Lease lease, String reason) {
        return new MatchOutcome(lease, reason, false);
    }

    public static MatchOutcome unmatched(String reason) {
        return new MatchOutcome(null, reason, false);
    }

    /** Unmatched, and the reason is stored on the bid, which was still OPEN when it was. */
    public static MatchOutcome leftOpen(String reason) {
        return new MatchOutcome(null, reason, true);
    }

    public boolean isMatched() {
        return lease != null;
    }
}
