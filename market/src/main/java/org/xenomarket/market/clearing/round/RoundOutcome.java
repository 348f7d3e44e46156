package org.xenomarket.market.clearing.round;

import java.util.List;

/** What a round decided: placed bids in the order they were placed, and the bids it left open. */
public record RoundOutcome(List<Assignment> assignments, List<Unmatched> unmatched) {

    /** Sum of the placed bids' values: the welfare the round achieved (see {@link RoundBid#value}). */
    public long welfare() {
        long sum = 0;
        for (Assignment a : assignments) {
            sum = Math.addExact(sum, a.bid().value());
        }
        return sum;
    }
}
