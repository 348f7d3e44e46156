package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/**
 * One clearing round: places open bids on servers, higher value first (max price per hour x hours;
 * at equal value the older bid, then the smaller id), each on the cheapest server within its
 * placement (and as reliable as its minimum, if it sets one) that has room, at the price that server asks with what the round has already placed on
 * it. So prices follow utilisation within the round and load spreads to idle sites. A bid is placed
 * only where that price is at most its max.
 *
 * <p>Then a repair pass: a bid left open because every server in its reach is full gets in if one
 * bid already on such a server can move to another server in <em>its</em> reach that has room and
 * is within its max; nobody placed is ever dropped. Finally prices are settled: each server's bids
 * are re-priced in the order they were placed, so each sponsor pays the price at the utilisation the
 * round had put on the server when its bid went there (a move only lowers it; never above the max).
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

    /** Moves tried per open bid in the repair pass. */
    private static final int MOVES_PER_OPEN_BID = 4;
    /** Moves tried in a whole round's repair pass: bounds it on a round with very many open bids. */
    private static final int MOVES_PER_ROUND = 20_000;
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
    private int movesLeft = MOVES_PER_ROUND;

    private RoundBid[] ordered;
    private int[] serverOf;
    private long[] sequence;
    private long[] price;
    private ResourceVector[] pricedAt;
    private UnmatchedCause[] cause;
    private long nextSequence;

    private ClearingRound(List<RoundServer> given, boolean prune) {
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
    }

    /** Clears one round of the bids over the servers. */
    public static RoundOutcome clear(List<RoundServer> servers, List<RoundBid> bids) {
        return new ClearingRound(servers, true).run(bids);
    }

    /**
     * The same round with every scan visiting every server in reach, no site or server skipped by a
     * bound: the reference the pruned scan must agree with exactly (tests compare the two).
     */
    static RoundOutcome clearVisitingEveryServer(List<RoundServer> servers, List<RoundBid> bids) {
        return new ClearingRound(servers, false).run(bids);
    }

    private RoundOutcome run(List<RoundBid> bids) {
        ordered = inPriorityOrder(bids);
        int n = ordered.length;
        serverOf = new int[n];
        sequence = new long[n];
        price = new long[n];
        pricedAt = new ResourceVector[n];
        cause = new UnmatchedCause[n];
        ServerGrid.Cursor cursor = grid.cursor();
        ServerGrid.Cursor siteCursor = sites.cursor();
        for (int b = 0; b < n; b++) {
            place(b, siteCursor);
        }
        for (int b = 0; b < n; b++) {
            if (serverOf[b] < 0 && cause[b] == UnmatchedCause.ALL_FULL) {
                repair(b, cursor, siteCursor);
            }
        }
        settlePrices();
        return outcome();
    }

    /**
     * The bids in {@link #PRIORITY} order. Each bid's keys are read once into a small record first, as
     * comparing records through the comparator recomputes the value and unwraps the instant per comparison.
     */
    static RoundBid[] inPriorityOrder(List<RoundBid> bids) {
        record Keyed(long value, long seconds, int nanos, long idHigh, long idLow, RoundBid bid) {
        }
        Keyed[] keyed = new Keyed[bids.size()];
        for (int i = 0; i < keyed.length; i++) {
            RoundBid b = bids.get(i);
            keyed[i] = new Keyed(b.value(), b.placedAt().getEpochSecond(), b.placedAt().getNano(),
                    b.id().getMostSignificantBits(), b.id().getLeastSignificantBits(), b);
        }
        // the same order as PRIORITY: UUID compares its halves as signed longs
        Arrays.parallelSort(keyed, (x, y) -> {
            int c = Long.compare(y.value, x.value);
            if (c == 0) {
                c = Long.compare(x.seconds, y.seconds);
            }
            if (c == 0) {
                c = Integer.compare(x.nanos, y.nanos);
            }
            if (c == 0) {
                c = Long.compare(x.idHigh, y.idHigh);
            }
            return c != 0 ? c : Long.compare(x.idLow, y.idLow);
        });
        RoundBid[] ordered = new RoundBid[keyed.length];
        for (int i = 0; i < keyed.length; i++) {
            ordered[i] = keyed[i].bid();
        }
        return ordered;
    }

    private void place(int b, ServerGrid.Cursor cursor) {
        RoundBid bid = ordered[b];
        scan(bid, -1, cursor);
        price[b] = foundPrice;
        if (found >= 0 && foundPrice <= bid.maxPricePerHourMicros()) {
            assign(b, found, foundPrice);
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
     * ranked, so the result is that of visiting every server (see {@link #clearVisitingEveryServer}).
     */
    private void scan(RoundBid bid, int exclude, ServerGrid.Cursor siteCursor) {
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
     * Tries to get an open bid onto a full server in its reach by moving one bid already there to another
     * server in that bid's reach with room and within its max. The open bid must then be within its
     * max on the server it gets.
     */
    private void repair(int u, ServerGrid.Cursor cursor, ServerGrid.Cursor siteCursor) {
        RoundBid bid = ordered[u];
        ResourceVector demand = bid.demand();
        int tries = 0;
        cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        double minimum = bid.comparableMinReliability();
        for (int s = cursor.next(); s >= 0 && tries < MOVES_PER_OPEN_BID && movesLeft > 0; s = cursor.next()) {
            if (reliability[s] < minimum || !bigEnough(s, demand)) {
                continue;
            }
            for (int k = 0; k < memberCount[s] && tries < MOVES_PER_OPEN_BID && movesLeft > 0; k++) {
                int x = members[s][k];
                ResourceVector without = minus(reserved[s], ordered[x].demand());
                if (!hasRoom(s, without, demand)) {
                    continue;
                }
                tries++;
                movesLeft--;
                long uPrice = servers.get(s).pricing().pricePerHourMicros(bid, without);
                if (uPrice > bid.maxPricePerHourMicros()) {
                    continue;
                }
                scan(ordered[x], s, siteCursor);
                if (found >= 0 && foundPrice <= ordered[x].maxPricePerHourMicros()) {
                    int target = found;
                    long xPrice = foundPrice;
                    unassign(x, s);
                    assign(x, target, xPrice);
                    assign(u, s, uPrice);
                    return;
                }
            }
        }
    }

    private void assign(int b, int s, long p) {
        serverOf[b] = s;
        price[b] = p;
        pricedAt[b] = reserved[s];
        sequence[b] = nextSequence++;
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
    private void settlePrices() {
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

    private RoundOutcome outcome() {
        List<Assignment> assignments = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        Integer[] placed = new Integer[0];
        List<Integer> placedIndices = new ArrayList<>();
        for (int b = 0; b < ordered.length; b++) {
            if (serverOf[b] >= 0) {
                placedIndices.add(b);
            } else if (cause[b] == UnmatchedCause.ABOVE_MAX) {
                unmatched.add(new Unmatched(ordered[b], cause[b], servers.get(-2 - serverOf[b]), price[b]));
            } else {
                unmatched.add(new Unmatched(ordered[b], cause[b], null, 0));
            }
        }
        placed = placedIndices.toArray(placed);
        Arrays.sort(placed, Comparator.comparingLong(b -> sequence[b]));
        for (int b : placed) {
            assignments.add(new Assignment(ordered[b], servers.get(serverOf[b]), price[b], pricedAt[b]));
        }
        return new RoundOutcome(assignments, unmatched);
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
