package org.xenomarket.market.clearing.round;

/**
 * The placing phase of one group: each bid, higher value first, goes on the cheapest server in its
 * reach with room if that is within its max; otherwise it is left open with the cause.
 */
final class GroupPlacing {

    private final GroupState group;
    private final CheapestServer cheapest;

    GroupPlacing(GroupState group, CheapestServer cheapest) {
        this.group = group;
        this.cheapest = cheapest;
    }

    /**
     * Places every bid of the group in order. A placement's sequence number is the bid's index in the
     * whole round's order, so placements of all groups sort as one round would have made them.
     */
    void placeAll() {
        for (int b = 0; b < group.ordered.length; b++) {
            place(b);
        }
    }

    private void place(int b) {
        RoundBid bid = group.ordered[b];
        cheapest.scan(bid, -1);
        int found = cheapest.found();
        long foundPrice = cheapest.foundPrice();
        group.price[b] = foundPrice;
        if (found >= 0 && foundPrice <= bid.maxPricePerHourMicros()) {
            group.assign(b, found, foundPrice, group.roundIndex[b]);
        } else {
            group.cause[b] = found >= 0 ? UnmatchedCause.ABOVE_MAX
                    : cheapest.anyBigEnough() ? UnmatchedCause.ALL_FULL : UnmatchedCause.NONE_IN_REACH;
            group.serverOf[b] = found >= 0 ? -2 - found : -1; // remembers the cheapest server for the reason
        }
    }
}
