package org.xenomarket.market.clearing.round;

import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/**
 * Finds, for one bid of a group, the cheapest server in its reach with room for it: what the placing
 * phase puts each bid on, and where the repair pass tries to move a bid to. One per group, with its
 * scratch reused so a bid allocates nothing while servers are searched.
 */
final class CheapestServer {

    /** Up to this many servers in reach with room, every one is priced exactly. */
    private static final int PRICE_ALL_UP_TO = 16;
    /**
     * Beyond that, only this many, those the index ranks cheapest, are priced exactly. The index prices a
     * small standard request, so for a bid of another shape (much memory, few vCPUs) the cheapest server
     * is often not among the first four it ranks: pricing eight raised the round's welfare against the LP
     * bound by about 0.4 points on the quality instances (docs/benchmarks.md, "Clearing quality against
     * the LP bound"), for a few more exact prices per bid.
     */
    private static final int PRICE_BEST_RANKED = 8;

    private final List<RoundServer> servers;
    private final RoundSites sites;
    /** Whether scans skip sites and servers by their bounds; off only for the reference scan tests compare with. */
    private final boolean prune;
    // the group's arrays (see GroupState), read on every server a scan visits
    private final int[] capVcpus;
    private final long[] capMemory;
    private final long[] capDisk;
    private final double[] reliability;
    private final ResourceVector[] reserved;
    private final long[] reservedVcpus;
    private final long[] reservedMemory;
    private final long[] reservedDisk;
    private final long[] index;
    private final ServerGrid.Cursor siteCursor;
    // scratch for one scan
    private final int[] all = new int[PRICE_ALL_UP_TO];
    private final double[] allCloseness = new double[PRICE_ALL_UP_TO];
    private final int[] ranked = new int[PRICE_BEST_RANKED];
    private final double[] rankedCloseness = new double[PRICE_BEST_RANKED];
    /** Every server in reach with room, for a bid ranked by total (the index ranks by price per hour only). */
    private int[] every = new int[PRICE_ALL_UP_TO];
    private double[] everyCloseness = new double[PRICE_ALL_UP_TO];
    private int withRoom;
    private int rankedCount;
    /** The last scan's answer: the server found (-1 if none), its price, and whether any server could hold the bid when empty. */
    private boolean anyBigEnough;
    /** Sites and servers the last scan visited, and servers it priced exactly: what it cost. */
    private int visited;
    private int priced;
    private int found;
    private long foundPrice;

    CheapestServer(GroupState group, boolean prune) {
        this.servers = group.servers;
        this.sites = group.sites;
        this.prune = prune;
        this.capVcpus = group.capVcpus;
        this.capMemory = group.capMemory;
        this.capDisk = group.capDisk;
        this.reliability = group.reliability;
        this.reserved = group.reserved;
        this.reservedVcpus = group.reservedVcpus;
        this.reservedMemory = group.reservedMemory;
        this.reservedDisk = group.reservedDisk;
        this.index = group.index;
        this.siteCursor = group.sites.cursor();
    }

    /** The server the last scan found, -1 if none had room. */
    int found() {
        return found;
    }

    /** The bid's price on the server found ({@code Long.MAX_VALUE} if none). */
    long foundPrice() {
        return foundPrice;
    }

    /** Sites and servers the last scan visited. */
    int visited() {
        return visited;
    }

    /** Servers the last scan priced exactly (for a bid ranked by total, at most that many). */
    int priced() {
        return priced;
    }

    /** Whether some server in the last scanned bid's reach could hold it when empty. */
    boolean anyBigEnough() {
        return anyBigEnough;
    }

    /**
     * Finds the cheapest server in the bid's reach with room for it, other than {@code exclude}: into
     * {@link #found} (-1 if none) and {@link #foundPrice}; {@link #anyBigEnough} tells whether any server
     * in reach could hold the bid when empty. With few servers in reach every one is priced exactly;
     * with many, those the index ranks cheapest (nearer first at equal rank, then first visited) are, so
     * a bid costs a walk over the sites in reach and a handful of exact prices. Among those priced, at equal
     * price a server whose site's cache holds the bid's image comes first, then the nearer.
     *
     * <p>The walk is by site, each site's servers in index order. Once more than {@link #PRICE_ALL_UP_TO}
     * servers with room are known and {@link #PRICE_BEST_RANKED} are ranked, a site whose lowest index
     * cannot beat the last ranked is skipped whole, and a site's walk stops at the first server that
     * cannot; a site with no server that has the room is skipped too. What is skipped could not have been
     * ranked, so the result is that of visiting every server (see {@link ClearingRound#clearVisitingEveryServer}).
     */
    void scan(RoundBid bid, int exclude) {
        ResourceVector demand = bid.demand();
        int vcpus = demand.vcpus();
        long memory = demand.memoryMib();
        long disk = demand.diskGib();
        double minimum = bid.comparableMinReliability();
        // egress to client places depends on each server's distance, which the index does not rank: such a
        // bid prices every server in reach with room and takes the cheapest in total, as immediate matching does
        boolean byTotal = !bid.request().clientPlaces().isEmpty();
        boolean prune = this.prune && !byTotal;
        anyBigEnough = false;
        visited = 0;
        withRoom = 0;
        rankedCount = 0;
        siteCursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        for (int site = siteCursor.next(); site >= 0; site = siteCursor.next()) {
            visited++;
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
                visited++;
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
                if (byTotal) {
                    keep(withRoom, s, closeness);
                }
                withRoom++;
                rank(s, closeness);
                bounded = prune && withRoom > PRICE_ALL_UP_TO && rankedCount == PRICE_BEST_RANKED;
            }
        }
        found = -1;
        foundPrice = Long.MAX_VALUE;
        priced = byTotal ? withRoom : withRoom <= PRICE_ALL_UP_TO ? withRoom : rankedCount;
        if (byTotal) {
            cheapestInTotal(bid);
            return;
        }
        double foundCloseness = 0;
        boolean foundWarm = false;
        boolean everyOne = withRoom <= PRICE_ALL_UP_TO;
        int count = everyOne ? withRoom : rankedCount;
        for (int i = 0; i < count; i++) {
            int s = everyOne ? all[i] : ranked[i];
            double closeness = everyOne ? allCloseness[i] : rankedCloseness[i];
            RoundServer server = servers.get(s);
            long p = server.pricing().pricePerHourMicros(bid, reserved[s]);
            // At equal price a server whose site's cache holds the bid's image wins, then the nearer:
            // the warm cache only breaks ties, it never costs the sponsor more.
            boolean warm = server.holdsImageOf(bid);
            if (p < foundPrice || p == foundPrice && (warm && !foundWarm || warm == foundWarm
                    && (closeness > foundCloseness || closeness == foundCloseness && s < found))) {
                found = s;
                foundPrice = p;
                foundCloseness = closeness;
                foundWarm = warm;
            }
        }
    }

    private void keep(int at, int s, double closeness) {
        if (at == every.length) {
            every = java.util.Arrays.copyOf(every, at * 2);
            everyCloseness = java.util.Arrays.copyOf(everyCloseness, at * 2);
        }
        every[at] = s;
        everyCloseness[at] = closeness;
    }

    /**
     * Of every server in reach with room, the one where the bid costs least in total among those within its
     * max price per hour (nearer, then lower number, at equal total); when none is within its max, the
     * cheapest per hour, so the bid is left open as above its max.
     */
    private void cheapestInTotal(RoundBid bid) {
        boolean foundAffordable = false;
        long foundKey = Long.MAX_VALUE;
        double foundCloseness = 0;
        for (int i = 0; i < withRoom; i++) {
            int s = every[i];
            double closeness = everyCloseness[i];
            long p = servers.get(s).pricing().pricePerHourMicros(bid, reserved[s]);
            if (p == Long.MAX_VALUE) {
                continue; // priced out of reach: the server does not take this bid at all (as in scan)
            }
            boolean affordable = p <= bid.maxPricePerHourMicros();
            if (foundAffordable && !affordable) {
                continue;
            }
            long key = affordable ? servers.get(s).pricing().totalMicros(bid, reserved[s]) : p;
            boolean better = affordable && !foundAffordable || key < foundKey
                    || key == foundKey && (closeness > foundCloseness || closeness == foundCloseness && s < found);
            if (found < 0 || better) {
                found = s;
                foundPrice = p;
                foundKey = key;
                foundCloseness = closeness;
                foundAffordable = affordable;
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
}
