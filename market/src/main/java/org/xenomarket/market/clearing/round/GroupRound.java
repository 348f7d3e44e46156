package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/**
 * The matching of one group of a round (see {@link RoundGroups}): its servers and its bids, which
 * reach no server outside it. Places the bids, higher value first, each on the cheapest server in
 * reach with room; repairs a bid left open for want of room by moving one bid out of its way; settles
 * prices. {@link ClearingRound} drives the phases and merges the groups' outcomes.
 *
 * <p>Nothing here is shared with another group (servers, price sheets, scratch), so groups are placed
 * on different threads at once; the repair pass, which spends a budget of the whole round, is driven in
 * the round's order from one thread.
 */
final class GroupRound {

    /** Moves tried per open bid in the repair pass. */
    private static final int MOVES_PER_OPEN_BID = 4;
    /** Up to this many servers in reach with room, every one is priced exactly. */
    private static final int PRICE_ALL_UP_TO = 16;
    /** Beyond that, only this many, those the index ranks cheapest, are priced exactly. */
    private static final int PRICE_BEST_RANKED = 4;
    /**
     * What ranks servers before exact pricing: the server's price for a small standard request (1 vCPU,
     * 2 GiB, 10 GiB for an hour) at its current reservation. It follows each server's own prices and
     * utilisation, so the cheapest server for a bid is nearly always among the best ranked.
     */
    private static final RoundBid INDEX_PROBE = new RoundBid(new java.util.UUID(0, 0),
            new org.xenomarket.pricing.QuoteRequest(new ResourceVector(1, 2_048, 10), 0,
                    org.xenomarket.pricing.ServiceClass.RESERVED, java.time.Instant.parse("2026-01-05T03:00:00Z"),
                    java.time.Duration.ofHours(1), null),
            0, 0, 1, 1, java.time.Instant.EPOCH);

    /**
     * The repair pass's state across all groups of a round: moves left in the round's budget, and the
     * sequence numbers and order of the placements it makes. Used from one thread, in the round's order.
     */
    static final class Repairs {
        private int movesLeft;
        private long nextSequence;
        private int[] placed = new int[16];
        private int placedCount;

        /** @param firstSequence after every sequence number the placing phase gave (the round's bid count) */
        Repairs(int moves, long firstSequence) {
            this.movesLeft = moves;
            this.nextSequence = firstSequence;
        }

        /** The sequence number of a placement the repair pass makes, which it records by round index. */
        private long placing(int roundIndex) {
            if (placedCount == placed.length) {
                placed = Arrays.copyOf(placed, placedCount * 2);
            }
            placed[placedCount++] = roundIndex;
            return nextSequence++;
        }

        /** Round indices of the bids the repair pass placed, in the order it placed them (a bid moved twice: twice). */
        int[] placedInOrder() {
            return Arrays.copyOf(placed, placedCount);
        }
    }

    private final List<RoundServer> servers;
    private final ServerGrid grid;
    /** The servers grouped by site (same place): a scan walks sites, and skips those that cannot help. */
    private final RoundSites sites;
    /** Whether scans skip sites and servers by their bounds; off only for the reference scan tests compare with. */
    private final boolean prune;
    private final int[] capVcpus;
    private final long[] capMemory;
    private final long[] capDisk;
    /** Each server's reliability score, minus infinity when it has none (see {@link RoundServer#reliability}). */
    private final double[] reliability;
    /** What is reserved on each server so far in this round; replaced only when a bid is placed or moved. */
    private final ResourceVector[] reserved;
    // the same amounts as primitives, for the room check of every server a scan visits
    private final long[] reservedVcpus;
    private final long[] reservedMemory;
    private final long[] reservedDisk;
    /** The bids on each server (indices into {@link #ordered}) and how many. */
    private final int[][] members;
    private final int[] memberCount;
    /** Whether the repair pass moved a bid away from the server: only then are its bids' prices settled again. */
    private final boolean[] movedFrom;
    /** Each server's rank key (see {@link #INDEX_PROBE}), kept current as bids are placed and moved. */
    private final long[] index;
    // scratch for one scan, reused so a bid allocates nothing while servers are searched
    private final int[] all = new int[PRICE_ALL_UP_TO];
    private final double[] allCloseness = new double[PRICE_ALL_UP_TO];
    private final int[] ranked = new int[PRICE_BEST_RANKED];
    private final double[] rankedCloseness = new double[PRICE_BEST_RANKED];
    private int withRoom;
    private int rankedCount;
    private boolean anyBigEnough;
    private int found;
    private long foundPrice;
    private final ServerGrid.Cursor cursor;
    private final ServerGrid.Cursor siteCursor;

    /** The group's bids in the round's priority order, and each one's index in the whole round's order. */
    private final RoundBid[] ordered;
    private final int[] roundIndex;
    private final int[] serverOf;
    private final long[] sequence;
    private final long[] price;
    private final ResourceVector[] pricedAt;
    private final UnmatchedCause[] cause;

    /**
     * @param given      the group's servers, in an order the whole round's numbering keeps (so ties between
     *                   servers break as they would in one group of everything)
     * @param roundOrder the whole round's bids in priority order; {@code bids} index into it, ascending
     */
    GroupRound(List<RoundServer> given, RoundBid[] roundOrder, int[] bids, boolean prune) {
        this.servers = RoundSites.inSiteOrder(ServerGrid.inCellOrder(given));
        this.grid = new ServerGrid(servers);
        this.prune = prune;
        int n = servers.size();
        capVcpus = new int[n];
        capMemory = new long[n];
        capDisk = new long[n];
        reliability = new double[n];
        reserved = new ResourceVector[n];
        members = new int[n][];
        memberCount = new int[n];
        movedFrom = new boolean[n];
        index = new long[n];
        reservedVcpus = new long[n];
        reservedMemory = new long[n];
        reservedDisk = new long[n];
        for (int i = 0; i < n; i++) {
            RoundServer s = servers.get(i);
            reservedVcpus[i] = s.reserved().vcpus();
            reservedMemory[i] = s.reserved().memoryMib();
            reservedDisk[i] = s.reserved().diskGib();
            capVcpus[i] = s.capacity().vcpus();
            capMemory[i] = s.capacity().memoryMib();
            capDisk[i] = s.capacity().diskGib();
            reliability[i] = s.comparableReliability();
            reserved[i] = s.reserved();
            members[i] = new int[4];
            index[i] = s.pricing().pricePerHourMicros(INDEX_PROBE, s.reserved());
        }
        sites = new RoundSites(servers, index, capVcpus, capMemory, capDisk, reservedVcpus, reservedMemory,
                reservedDisk, reliability);
        cursor = grid.cursor();
        siteCursor = sites.cursor();
        int count = bids.length;
        roundIndex = bids;
        ordered = new RoundBid[count];
        for (int b = 0; b < count; b++) {
            ordered[b] = roundOrder[bids[b]];
        }
        serverOf = new int[count];
        sequence = new long[count];
        price = new long[count];
        pricedAt = new ResourceVector[count];
        cause = new UnmatchedCause[count];
    }

    /** How many bids the group holds: what the round balances its threads by. */
    int bidCount() {
        return ordered.length;
    }

    /**
     * Places every bid of the group in order. A placement's sequence number is the bid's index in the
     * whole round's order, so placements of all groups sort as one round would have made them.
     */
    void placeAll() {
        for (int b = 0; b < ordered.length; b++) {
            place(b);
        }
    }

    /** Whether the bid (a group index) was left open because every server in its reach was full. */
    boolean leftOpenForRoom(int b) {
        return serverOf[b] < 0 && cause[b] == UnmatchedCause.ALL_FULL;
    }

    private void place(int b) {
        RoundBid bid = ordered[b];
        scan(bid, -1);
        price[b] = foundPrice;
        if (found >= 0 && foundPrice <= bid.maxPricePerHourMicros()) {
            assign(b, found, foundPrice, roundIndex[b]);
        } else {
            cause[b] = found >= 0 ? UnmatchedCause.ABOVE_MAX
                    : anyBigEnough ? UnmatchedCause.ALL_FULL : UnmatchedCause.NONE_IN_REACH;
            serverOf[b] = found >= 0 ? -2 - found : -1; // remembers the cheapest server for the reason
        }
    }

    /**
     * Finds the cheapest server in the bid's reach with room for it, other than {@code exclude}: into
     * {@link #found} (-1 if none) and {@link #foundPrice}; {@link #anyBigEnough} tells whether any server
     * in reach could hold the bid when empty. With few servers in reach every one is priced exactly;
     * with many, those the index ranks cheapest (nearer first at equal rank, then first visited) are, so
     * a bid costs a walk over the sites in reach and a handful of exact prices.
     *
     * <p>The walk is by site, each site's servers in index order. Once more than {@link #PRICE_ALL_UP_TO}
     * servers with room are known and {@link #PRICE_BEST_RANKED} are ranked, a site whose lowest index
     * cannot beat the last ranked is skipped whole, and a site's walk stops at the first server that
     * cannot; a site with no server that has the room is skipped too. What is skipped could not have been
     * ranked, so the result is that of visiting every server (see {@link ClearingRound#clearVisitingEveryServer}).
     */
    private void scan(RoundBid bid, int exclude) {
        ResourceVector demand = bid.demand();
        int vcpus = demand.vcpus();
        long memory = demand.memoryMib();
        long disk = demand.diskGib();
        double minimum = bid.comparableMinReliability();
        anyBigEnough = false;
        withRoom = 0;
        rankedCount = 0;
        siteCursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        for (int site = siteCursor.next(); site >= 0; site = siteCursor.next()) {
            if (sites.belowMinimum(site, minimum)) {
                continue; // not in the bid's reach at all
            }
            if (!anyBigEnough) {
                anyBigEnough = sites.anyBigEnough(site, vcpus, memory, disk, minimum);
            }
            if (!sites.mayHaveRoom(site, vcpus, memory, disk)) {
                continue;
            }
            double closeness = siteCursor.closeness();
            boolean bounded = prune && withRoom > PRICE_ALL_UP_TO && rankedCount == PRICE_BEST_RANKED;
            if (bounded && cannotRank(sites.lowestIndex(site), closeness)) {
                continue;
            }
            int[] order = sites.order();
            for (int k = sites.start(site), end = sites.end(site); k < end; k++) {
                int s = order[k];
                if (bounded && cannotRank(index[s], closeness)) {
                    break; // the rest of the site ranks no better
                }
                if (s == exclude || reliability[s] < minimum || reservedVcpus[s] + vcpus > capVcpus[s]
                        || reservedMemory[s] + memory > capMemory[s] || reservedDisk[s] + disk > capDisk[s]) {
                    continue;
                }
                if (withRoom < PRICE_ALL_UP_TO) {
                    all[withRoom] = s;
                    allCloseness[withRoom] = closeness;
                }
                withRoom++;
                rank(s, closeness);
                bounded = prune && withRoom > PRICE_ALL_UP_TO && rankedCount == PRICE_BEST_RANKED;
            }
        }
        found = -1;
        foundPrice = Long.MAX_VALUE;
        double foundCloseness = 0;
        boolean everyOne = withRoom <= PRICE_ALL_UP_TO;
        int count = everyOne ? withRoom : rankedCount;
        for (int i = 0; i < count; i++) {
            int s = everyOne ? all[i] : ranked[i];
            double closeness = everyOne ? allCloseness[i] : rankedCloseness[i];
            long p = servers.get(s).pricing().pricePerHourMicros(bid, reserved[s]);
            if (p < foundPrice || p == foundPrice && (closeness > foundCloseness
                    || closeness == foundCloseness && s < found)) {
                found = s;
                foundPrice = p;
                foundCloseness = closeness;
            }
        }
    }

    /** Whether a server of this index and closeness would not enter the full ranking (see {@link #rank}). */
    private boolean cannotRank(long key, double closeness) {
        int last = PRICE_BEST_RANKED - 1;
        long bound = index[ranked[last]];
        return key > bound || key == bound && closeness <= rankedCloseness[last];
    }

    /** Keeps the best ranked servers seen in this scan: lower index first, then nearer, then seen first. */
    private void rank(int s, double closeness) {
        long key = index[s];
        int at = rankedCount;
        while (at > 0 && (index[ranked[at - 1]] > key
                || index[ranked[at - 1]] == key && rankedCloseness[at - 1] < closeness)) {
            at--;
        }
        if (at >= PRICE_BEST_RANKED) {
            return;
        }
        int last = Math.min(rankedCount, PRICE_BEST_RANKED - 1);
        for (int i = last; i > at; i--) {
            ranked[i] = ranked[i - 1];
            rankedCloseness[i] = rankedCloseness[i - 1];
        }
        ranked[at] = s;
        rankedCloseness[at] = closeness;
        if (rankedCount < PRICE_BEST_RANKED) {
            rankedCount++;
        }
    }

    /**
     * Tries to get an open bid (a group index) onto a full server in its reach by moving one bid already
     * there to another server in that bid's reach with room and within its max. The open bid must then be
     * within its max on the server it gets. Each move tried spends one of the round's {@code repairs}.
     */
    void repair(int u, Repairs repairs) {
        RoundBid bid = ordered[u];
        ResourceVector demand = bid.demand();
        int tries = 0;
        cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        double minimum = bid.comparableMinReliability();
        for (int s = cursor.next(); s >= 0 && tries < MOVES_PER_OPEN_BID && repairs.movesLeft > 0; s = cursor.next()) {
            if (reliability[s] < minimum || !bigEnough(s, demand)) {
                continue;
            }
            for (int k = 0; k < memberCount[s] && tries < MOVES_PER_OPEN_BID && repairs.movesLeft > 0; k++) {
                int x = members[s][k];
                ResourceVector without = minus(reserved[s], ordered[x].demand());
                if (!hasRoom(s, without, demand)) {
                    continue;
                }
                tries++;
                repairs.movesLeft--;
                long uPrice = servers.get(s).pricing().pricePerHourMicros(bid, without);
                if (uPrice > bid.maxPricePerHourMicros()) {
                    continue;
                }
                scan(ordered[x], s);
                if (found >= 0 && foundPrice <= ordered[x].maxPricePerHourMicros()) {
                    int target = found;
                    long xPrice = foundPrice;
                    unassign(x, s);
                    assign(x, target, xPrice, repairs.placing(roundIndex[x]));
                    assign(u, s, uPrice, repairs.placing(roundIndex[u]));
                    return;
                }
            }
        }
    }

    private void assign(int b, int s, long p, long sequenceNumber) {
        serverOf[b] = s;
        price[b] = p;
        pricedAt[b] = reserved[s];
        sequence[b] = sequenceNumber;
        reserved[s] = reserved[s].plus(ordered[b].demand());
        keepPrimitives(s);
        index[s] = servers.get(s).pricing().pricePerHourMicros(INDEX_PROBE, reserved[s]);
        sites.changed(s);
        if (memberCount[s] == members[s].length) {
            members[s] = Arrays.copyOf(members[s], memberCount[s] * 2);
        }
        members[s][memberCount[s]++] = b;
    }

    private void unassign(int b, int s) {
        movedFrom[s] = true;
        reserved[s] = minus(reserved[s], ordered[b].demand());
        keepPrimitives(s);
        index[s] = servers.get(s).pricing().pricePerHourMicros(INDEX_PROBE, reserved[s]);
        sites.changed(s);
        for (int k = 0; k < memberCount[s]; k++) {
            if (members[s][k] == b) {
                members[s][k] = members[s][--memberCount[s]];
                break;
            }
        }
        serverOf[b] = -1;
    }

    /**
     * Re-prices the bids of each server a bid was moved away from, in the order they were placed, from the
     * server's reservation at the start of the round: that lowers the prices of bids placed after the moved
     * one (prices only fall as utilisation falls), so no bid pays above its max. On every other server each
     * bid already has the price and reservation it was placed at, which is what this would give again.
     */
    void settlePrices() {
        for (int s = 0; s < servers.size(); s++) {
            int count = memberCount[s];
            if (count == 0 || !movedFrom[s]) {
                continue;
            }
            int[] onServer = Arrays.copyOf(members[s], count);
            sortBySequence(onServer);
            ResourceVector taken = servers.get(s).reserved();
            for (int b : onServer) {
                price[b] = servers.get(s).pricing().pricePerHourMicros(ordered[b], taken);
                pricedAt[b] = taken;
                taken = taken.plus(ordered[b].demand());
            }
        }
    }

    private void sortBySequence(int[] bids) {
        // few bids per server: insertion sort, no boxing
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

    /**
     * Writes the group's decisions into the round's arrays, at each bid's index in the whole round's
     * order: its assignment and sequence number, or why it is left open. Groups write disjoint slots.
     */
    void report(Assignment[] assignments, long[] sequences, Unmatched[] unmatched) {
        for (int b = 0; b < ordered.length; b++) {
            int r = roundIndex[b];
            if (serverOf[b] >= 0) {
                assignments[r] = new Assignment(ordered[b], servers.get(serverOf[b]), price[b], pricedAt[b]);
                sequences[r] = sequence[b];
            } else if (cause[b] == UnmatchedCause.ABOVE_MAX) {
                unmatched[r] = new Unmatched(ordered[b], cause[b], servers.get(-2 - serverOf[b]), price[b]);
            } else {
                unmatched[r] = new Unmatched(ordered[b], cause[b], null, 0);
            }
        }
    }

    private void keepPrimitives(int s) {
        reservedVcpus[s] = reserved[s].vcpus();
        reservedMemory[s] = reserved[s].memoryMib();
        reservedDisk[s] = reserved[s].diskGib();
    }

    private boolean bigEnough(int s, ResourceVector demand) {
        return demand.vcpus() <= capVcpus[s] && demand.memoryMib() <= capMemory[s] && demand.diskGib() <= capDisk[s];
    }

    private boolean hasRoom(int s, ResourceVector taken, ResourceVector demand) {
        return taken.vcpus() + demand.vcpus() <= capVcpus[s] && taken.memoryMib() + demand.memoryMib() <= capMemory[s]
                && taken.diskGib() + demand.diskGib() <= capDisk[s];
    }

    private static ResourceVector minus(ResourceVector a, ResourceVector b) {
        return new ResourceVector(a.vcpus() - b.vcpus(), a.memoryMib() - b.memoryMib(), a.diskGib() - b.diskGib());
    }
}
