package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A round's servers grouped by site: servers at the same place (equal latitude and longitude) share
 * their distance to every bid, so a scan checks reach once per site instead of once per server. Per
 * site it keeps what lets a scan skip the site, kept current as the round places bids: the most free
 * vCPU, memory and disk of any one of its servers (a site where no server has that much free cannot
 * take the bid), the largest capacities (for "big enough when empty"), and its servers ordered by
 * their rank index, lowest first (a site whose lowest index cannot beat the current ranking is
 * skipped, and a walk through it stops at the first server that cannot).
 *
 * <p>Reads the round's per-server arrays, which the round updates and then reports with {@link #changed}.
 */
final class RoundSites {

    private final long[] index;
    private final int[] capVcpus;
    private final long[] capMemory;
    private final long[] capDisk;
    private final long[] reservedVcpus;
    private final long[] reservedMemory;
    private final long[] reservedDisk;
    private final double[] reliability;
    /** Per site, the best reliability of its servers: a site below a bid's minimum is out of its reach. */
    private final double[] bestReliability;
    /** Site s holds the servers {@code start[s] .. start[s + 1] - 1} of the round's numbering. */
    private final int[] start;
    private final int[] siteOf;
    /** Per site, its servers by index (ties: lower number first), in the same ranges as {@link #start}. */
    private final int[] order;
    private final long[] maxFreeVcpus;
    private final long[] maxFreeMemory;
    private final long[] maxFreeDisk;
    private final int[] maxCapVcpus;
    private final long[] maxCapMemory;
    private final long[] maxCapDisk;
    private final ServerGrid grid;

    /**
     * @param servers the round's servers, each site's contiguous (see {@link #inSiteOrder}); the arrays are
     *                the round's, indexed the same way
     */
    RoundSites(List<RoundServer> servers, long[] index, int[] capVcpus, long[] capMemory, long[] capDisk,
               long[] reservedVcpus, long[] reservedMemory, long[] reservedDisk, double[] reliability) {
        this.reliability = reliability;
        this.index = index;
        this.capVcpus = capVcpus;
        this.capMemory = capMemory;
        this.capDisk = capDisk;
        this.reservedVcpus = reservedVcpus;
        this.reservedMemory = reservedMemory;
        this.reservedDisk = reservedDisk;
        int n = servers.size();
        List<RoundServer> firsts = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        siteOf = new int[n];
        for (int i = 0; i < n; i++) {
            if (i == 0 || !samePlace(servers.get(i), servers.get(i - 1))) {
                firsts.add(servers.get(i));
                starts.add(i);
            }
            siteOf[i] = firsts.size() - 1;
        }
        int count = firsts.size();
        start = new int[count + 1];
        for (int t = 0; t < count; t++) {
            start[t] = starts.get(t);
        }
        start[count] = n;
        order = new int[n];
        maxFreeVcpus = new long[count];
        maxFreeMemory = new long[count];
        maxFreeDisk = new long[count];
        maxCapVcpus = new int[count];
        maxCapMemory = new long[count];
        maxCapDisk = new long[count];
        bestReliability = new double[count];
        java.util.Arrays.fill(bestReliability, Double.NEGATIVE_INFINITY);
        for (int t = 0; t < count; t++) {
            for (int i = start[t]; i < start[t + 1]; i++) {
                order[i] = i;
                maxCapVcpus[t] = Math.max(maxCapVcpus[t], capVcpus[i]);
                maxCapMemory[t] = Math.max(maxCapMemory[t], capMemory[i]);
                maxCapDisk[t] = Math.max(maxCapDisk[t], capDisk[i]);
                bestReliability[t] = Math.max(bestReliability[t], reliability[i]);
            }
            sortSite(t);
            refreshFree(t);
        }
        grid = new ServerGrid(firsts);
    }

    /**
     * The servers with each site's contiguous, sites in the order they first appear: servers already in
     * cell order stay so (a site lies in one cell), so a walk of the cells reads adjacent memory.
     */
    static List<RoundServer> inSiteOrder(List<RoundServer> servers) {
        Map<List<Double>, List<RoundServer>> bySite = new LinkedHashMap<>();
        for (RoundServer s : servers) {
            bySite.computeIfAbsent(List.of(s.latitude(), s.longitude()), k -> new ArrayList<>()).add(s);
        }
        List<RoundServer> sorted = new ArrayList<>(servers.size());
        bySite.values().forEach(sorted::addAll);
        return sorted;
    }

    /** A walk over the sites within reach of a point; {@link ServerGrid.Cursor#next} gives site numbers. */
    ServerGrid.Cursor cursor() {
        return grid.cursor();
    }

    int start(int site) {
        return start[site];
    }

    int end(int site) {
        return start[site + 1];
    }

    /** Each site's servers by index, lowest first: read between {@link #start} and {@link #end}. */
    int[] order() {
        return order;
    }

    long lowestIndex(int site) {
        return index[order[start[site]]];
    }

    /** Whether no server of the site is as reliable as the minimum (then the whole site is out of reach). */
    boolean belowMinimum(int site, double minReliability) {
        return bestReliability[site] < minReliability;
    }

    /** Whether some server of the site at least that reliable could hold this much when empty. */
    boolean anyBigEnough(int site, int vcpus, long memory, long disk, double minReliability) {
        if (vcpus > maxCapVcpus[site] || memory > maxCapMemory[site] || disk > maxCapDisk[site]) {
            return false;
        }
        for (int i = start[site]; i < start[site + 1]; i++) {
            if (vcpus <= capVcpus[i] && memory <= capMemory[i] && disk <= capDisk[i]
                    && reliability[i] >= minReliability) {
                return true;
            }
        }
        return false;
    }

    /** False when no server of the site has this much free in every resource (a bound: true may still not fit). */
    boolean mayHaveRoom(int site, int vcpus, long memory, long disk) {
        return vcpus <= maxFreeVcpus[site] && memory <= maxFreeMemory[site] && disk <= maxFreeDisk[site];
    }

    /** The round changed server {@code s}'s reservation and index: keeps its site's bounds and order. */
    void changed(int s) {
        int site = siteOf[s];
        int first = start[site];
        int last = start[site + 1] - 1;
        int at = first;
        while (order[at] != s) {
            at++;
        }
        // one server moved: shift it towards its place, the rest of the site is still in order
        while (at > first && before(s, order[at - 1])) {
            order[at] = order[at - 1];
            at--;
        }
        while (at < last && before(order[at + 1], s)) {
            order[at] = order[at + 1];
            at++;
        }
        order[at] = s;
        refreshFree(site);
    }

    private boolean before(int a, int b) {
        return index[a] < index[b] || index[a] == index[b] && a < b;
    }

    private void sortSite(int site) {
        for (int i = start[site] + 1; i < start[site + 1]; i++) {
            int s = order[i];
            int j = i - 1;
            while (j >= start[site] && before(s, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = s;
        }
    }

    private void refreshFree(int site) {
        long v = 0;
        long m = 0;
        long d = 0;
        for (int i = start[site]; i < start[site + 1]; i++) {
            v = Math.max(v, capVcpus[i] - reservedVcpus[i]);
            m = Math.max(m, capMemory[i] - reservedMemory[i]);
            d = Math.max(d, capDisk[i] - reservedDisk[i]);
        }
        maxFreeVcpus[site] = v;
        maxFreeMemory[site] = m;
        maxFreeDisk[site] = d;
    }

    /** Whether two servers stand at the same place, so belong to one site. */
    static boolean samePlace(RoundServer a, RoundServer b) {
        return a.latitude() == b.latitude() && a.longitude() == b.longitude();
    }
}
