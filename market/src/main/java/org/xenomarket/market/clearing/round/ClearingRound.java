package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/**
 * One clearing round: places open bids on servers, higher value first (max price per hour x hours;
 * at equal value the older bid, then the smaller id), each on the cheapest server within its
 * placement that has room, at the price that server asks with what the round has already placed on
 * it. So prices follow utilisation within the round and load spreads to idle sites. A bid is placed
 * only where that price is at most its max; the sponsor pays that price.
 *
 * <p>Plain Java, no I/O: the market loads servers and bids, runs this, and books the assignments.
 * Capacity is one vector per server for the whole round (the most reserved in any hour of the
 * bids' windows), so bids placed on one server are counted as if they overlapped: never more than
 * the server has, possibly less than it could take.
 */
public final class ClearingRound {

    /** The order bids are placed in: higher value, then older, then smaller id. */
    public static final Comparator<RoundBid> PRIORITY = Comparator.comparingLong(RoundBid::value).reversed()
            .thenComparing(RoundBid::placedAt)
            .thenComparing(RoundBid::id);

    private final List<RoundServer> servers;
    private final ServerGrid grid;
    private final int[] capVcpus;
    private final long[] capMemory;
    private final long[] capDisk;
    /** What is reserved on each server so far in this round; replaced only when a bid is placed. */
    private final ResourceVector[] reserved;

    private ClearingRound(List<RoundServer> servers) {
        this.servers = servers;
        this.grid = new ServerGrid(servers);
        int n = servers.size();
        capVcpus = new int[n];
        capMemory = new long[n];
        capDisk = new long[n];
        reserved = new ResourceVector[n];
        for (int i = 0; i < n; i++) {
            RoundServer s = servers.get(i);
            capVcpus[i] = s.capacity().vcpus();
            capMemory[i] = s.capacity().memoryMib();
            capDisk[i] = s.capacity().diskGib();
            reserved[i] = s.reserved();
        }
    }

    /** Clears one round of the bids over the servers. */
    public static RoundOutcome clear(List<RoundServer> servers, List<RoundBid> bids) {
        return new ClearingRound(servers).run(bids);
    }

    private RoundOutcome run(List<RoundBid> bids) {
        RoundBid[] ordered = bids.toArray(new RoundBid[0]);
        Arrays.sort(ordered, PRIORITY);
        List<Assignment> assignments = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        ServerGrid.Cursor cursor = grid.cursor();
        for (RoundBid bid : ordered) {
            place(bid, cursor, assignments, unmatched);
        }
        return new RoundOutcome(assignments, unmatched);
    }

    private void place(RoundBid bid, ServerGrid.Cursor cursor, List<Assignment> assignments,
                       List<Unmatched> unmatched) {
        ResourceVector demand = bid.demand();
        int vcpus = demand.vcpus();
        long memory = demand.memoryMib();
        long disk = demand.diskGib();
        boolean anyBigEnough = false;
        int best = -1;
        long bestPrice = Long.MAX_VALUE;
        double bestCloseness = 0;
        cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        for (int s = cursor.next(); s >= 0; s = cursor.next()) {
            if (vcpus > capVcpus[s] || memory > capMemory[s] || disk > capDisk[s]) {
                continue;
            }
            anyBigEnough = true;
            ResourceVector taken = reserved[s];
            if (taken.vcpus() + vcpus > capVcpus[s] || taken.memoryMib() + memory > capMemory[s]
                    || taken.diskGib() + disk > capDisk[s]) {
                continue;
            }
            long price = servers.get(s).pricing().pricePerHourMicros(bid, taken);
            double closeness = cursor.closeness();
            if (price < bestPrice || price == bestPrice && (closeness > bestCloseness
                    || closeness == bestCloseness && s < best)) {
                best = s;
                bestPrice = price;
                bestCloseness = closeness;
            }
        }
        if (best >= 0 && bestPrice <= bid.maxPricePerHourMicros()) {
            reserved[best] = reserved[best].plus(demand);
            assignments.add(new Assignment(bid, servers.get(best), bestPrice));
        } else if (best >= 0) {
            unmatched.add(new Unmatched(bid, UnmatchedCause.ABOVE_MAX, servers.get(best), bestPrice));
        } else {
            unmatched.add(new Unmatched(bid, anyBigEnough ? UnmatchedCause.ALL_FULL : UnmatchedCause.NONE_IN_REACH,
                    null, 0));
        }
    }
}
