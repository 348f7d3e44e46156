package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import org.xenomarket.pricing.ResourceVector;

/** Settles the prices of one group once its repair pass is over. */
final class GroupSettling {

    private final GroupState group;

    GroupSettling(GroupState group) {
        this.group = group;
    }

    /**
     * Re-prices the bids of each server a bid was moved away from, in the order they were placed, from the
     * server's reservation at the start of the round: that lowers the prices of bids placed after the moved
     * one (prices only fall as utilisation falls), so no bid pays above its max. On every other server each
     * bid already has the price and reservation it was placed at, which is what this would give again.
     */
    void settlePrices() {
        for (int s = 0; s < group.servers.size(); s++) {
            int count = group.memberCount[s];
            if (count == 0 || !group.movedFrom[s]) {
                continue;
            }
            int[] onServer = Arrays.copyOf(group.members[s], count);
            sortBySequence(onServer);
            RoundServer server = group.servers.get(s);
            ResourceVector taken = server.reserved();
            for (int b : onServer) {
                group.price[b] = server.pricing().pricePerHourMicros(group.ordered[b], taken);
                group.pricedAt[b] = taken;
                taken = taken.plus(group.ordered[b].demand());
            }
        }
    }

    private void sortBySequence(int[] bids) {
        // few bids per server: insertion sort, no boxing
        long[] sequence = group.sequence;
        for (int i = 1; i < bids.length; i++) {
            int b = bids[i];
            int j = i - 1;
            while (j >= 0 && sequence[bids[j]] > sequence[b]) {
                bids[j + 1] = bids[j];
                j--;
            }
            bids[j + 1] = b;
        }
    }
}
