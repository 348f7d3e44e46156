package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.ResourceVector;

/**
 * The repair pass of one group: a bid left open because every server in its reach was full gets a
 * server by moving one bid already there to another server in that bid's reach.
 */
final class GroupRepair {

    /** Moves tried per open bid in the repair pass. */
    private static final int MOVES_PER_OPEN_BID = 4;

    private final GroupState group;
    private final CheapestServer cheapest;
    private final ServerGrid.Cursor cursor;

    GroupRepair(GroupState group, CheapestServer cheapest) {
        this.group = group;
        this.cheapest = cheapest;
        this.cursor = group.grid.cursor();
    }

    /**
     * Tries to get an open bid (a group index) onto a full server in its reach by moving one bid already
     * there to another server in that bid's reach with room and within its max. The open bid must then be
     * within its max on the server it gets. Each move tried spends one of the round's {@code repairs}.
     */
    void repair(int u, RoundRepairs repairs) {
        RoundBid[] ordered = group.ordered;
        RoundBid bid = ordered[u];
        ResourceVector demand = bid.demand();
        int tries = 0;
        cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        double minimum = bid.comparableMinReliability();
        for (int s = cursor.next(); s >= 0 && tries < MOVES_PER_OPEN_BID && repairs.anyMoveLeft(); s = cursor.next()) {
            if (group.reliability[s] < minimum || !group.bigEnough(s, demand)) {
                continue;
            }
            for (int k = 0; k < group.memberCount[s] && tries < MOVES_PER_OPEN_BID && repairs.anyMoveLeft(); k++) {
                int x = group.members[s][k];
                ResourceVector without = GroupState.minus(group.reserved[s], ordered[x].demand());
                if (!group.hasRoom(s, without, demand)) {
                    continue;
                }
                tries++;
                repairs.spendMove();
                long uPrice = group.servers.get(s).pricing().pricePerHourMicros(bid, without);
                if (uPrice > bid.maxPricePerHourMicros()) {
                    continue;
                }
                cheapest.scan(ordered[x], s);
                if (cheapest.found() >= 0 && cheapest.foundPrice() <= ordered[x].maxPricePerHourMicros()) {
                    int target = cheapest.found();
                    long xPrice = cheapest.foundPrice();
                    group.unassign(x, s);
                    group.assign(x, target, xPrice, repairs.placing(group.roundIndex[x]));
                    group.assign(u, s, uPrice, repairs.placing(group.roundIndex[u]));
                    return;
                }
            }
        }
    }
}
