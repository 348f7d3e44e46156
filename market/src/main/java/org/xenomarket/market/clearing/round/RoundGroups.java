package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.List;

/**
 * A round's servers and bids split into groups that share nothing: the connected parts of "this bid can
 * reach that site" (a site is the servers at one place). Two bids land in one group when their reaches
 * share a site, or are linked through other bids that do; a group's bids can only ever be placed on its
 * own servers, and moving one of them only frees room there. So each group can be cleared on its own,
 * and with the world's servers clustered round metros an ocean apart (eu-west, us-east, Singapore,
 * Sydney) a round splits into a handful of groups.
 *
 * <p>Reach here is distance alone (the same test as a scan's); a bid's minimum reliability may narrow
 * what it can take, which only makes a group larger than it need be, never wrong. A bid that reaches
 * no site belongs to no group: nothing can be placed for it.
 */
final class RoundGroups {

    /**
     * One group: its servers, in the order of the round's numbering, and its bids as indices into the
     * round's priority order, ascending.
     */
    record Group(List<RoundServer> servers, int[] bids) {
    }

    /** Fewer bids than this per slice are not worth a thread of their own when finding the groups. */
    private static final int BIDS_PER_SLICE = 5_000;

    private final List<Group> groups;
    private final int[] outOfReach;

    private RoundGroups(List<Group> groups, int[] outOfReach) {
        this.groups = groups;
        this.outOfReach = outOfReach;
    }

    /** The groups with at least one bid, in the order of their first site; servers no bid reaches are left out. */
    List<Group> groups() {
        return groups;
    }

    /** The bids (indices into the round's order) that reach no server at all. */
    int[] outOfReach() {
        return outOfReach;
    }

    /** Everything in one group: the round as it was cleared before it was split, which tests compare with. */
    static RoundGroups oneGroup(List<RoundServer> servers, RoundBid[] ordered) {
        int[] all = new int[ordered.length];
        for (int b = 0; b < all.length; b++) {
            all[b] = b;
        }
        return new RoundGroups(List.of(new Group(servers, all)), new int[0]);
    }

    /**
     * Splits the round by the sites each bid can reach; {@code ordered} is the round's bids in priority
     * order. With {@code parallel}, the bids' reaches are walked on the machine's cores, in slices.
     */
    static RoundGroups byReach(List<RoundServer> servers, RoundBid[] ordered, boolean parallel) {
        List<RoundServer> inOrder = RoundSites.inSiteOrder(ServerGrid.inCellOrder(servers));
        List<Integer> siteStarts = new ArrayList<>();
        List<RoundServer> firsts = new ArrayList<>();
        for (int i = 0; i < inOrder.size(); i++) {
            if (i == 0 || !RoundSites.samePlace(inOrder.get(i), inOrder.get(i - 1))) {
                siteStarts.add(i);
                firsts.add(inOrder.get(i));
            }
        }
        int siteCount = firsts.size();
        ServerGrid siteGrid = new ServerGrid(firsts);
        int[] firstSite = new int[ordered.length];
        // the bids in slices, each joining sites in a union-find of its own (so slices run at once); then one
        // union-find joins what every slice joined: the parts do not depend on how the bids were sliced
        int slices = parallel ? Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                ordered.length / BIDS_PER_SLICE)) : 1;
        int[][] sliceParents = new int[slices][];
        List<Integer> sliceNumbers = new ArrayList<>();
        for (int c = 0; c < slices; c++) {
            sliceNumbers.add(c);
        }
        OnTheCores.each(sliceNumbers, c -> sliceParents[c] = joinReachedSites(siteGrid, siteCount, ordered,
                (int) ((long) ordered.length * c / slices), (int) ((long) ordered.length * (c + 1) / slices),
                firstSite), parallel);
        int[] parent = sliceParents[0];
        for (int c = 1; c < slices; c++) {
            for (int t = 0; t < siteCount; t++) {
                union(parent, t, find(sliceParents[c], t));
            }
        }
        // number the groups by their lowest site; then gather bids in round order, servers in site order
        int[] groupOfRoot = new int[siteCount];
        java.util.Arrays.fill(groupOfRoot, -1);
        int[] bidCount = new int[siteCount];
        int outside = 0;
        for (int b = 0; b < ordered.length; b++) {
            if (firstSite[b] < 0) {
                outside++;
            } else {
                bidCount[find(parent, firstSite[b])]++;
            }
        }
        List<int[]> bidsOf = new ArrayList<>();
        List<List<RoundServer>> serversOf = new ArrayList<>();
        for (int t = 0; t < siteCount; t++) {
            int root = find(parent, t);
            if (root == t && bidCount[t] > 0) {
                groupOfRoot[t] = bidsOf.size();
                bidsOf.add(new int[bidCount[t]]);
                serversOf.add(new ArrayList<>());
            }
        }
        int[] filled = new int[bidsOf.size()];
        int[] outOfReach = new int[outside];
        int outsideFilled = 0;
        for (int b = 0; b < ordered.length; b++) {
            if (firstSite[b] < 0) {
                outOfReach[outsideFilled++] = b;
            } else {
                int g = groupOfRoot[find(parent, firstSite[b])];
                bidsOf.get(g)[filled[g]++] = b;
            }
        }
        for (int t = 0; t < siteCount; t++) {
            int g = groupOfRoot[find(parent, t)];
            if (g >= 0) {
                int end = t + 1 < siteCount ? siteStarts.get(t + 1) : inOrder.size();
                serversOf.get(g).addAll(inOrder.subList(siteStarts.get(t), end));
            }
        }
        List<Group> groups = new ArrayList<>(bidsOf.size());
        for (int g = 0; g < bidsOf.size(); g++) {
            groups.add(new Group(serversOf.get(g), bidsOf.get(g)));
        }
        return new RoundGroups(groups, outOfReach);
    }

    /**
     * Joins, for each bid {@code from .. to - 1}, every site it reaches to the first one it reaches
     * (recorded in {@code firstSite}, -1 when none): a union-find over sites, returned as its parents.
     */
    private static int[] joinReachedSites(ServerGrid siteGrid, int siteCount, RoundBid[] ordered, int from, int to,
                                          int[] firstSite) {
        int[] parent = new int[siteCount];
        for (int t = 0; t < siteCount; t++) {
            parent[t] = t;
        }
        ServerGrid.Cursor cursor = siteGrid.cursor();
        for (int b = from; b < to; b++) {
            RoundBid bid = ordered[b];
            cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
            int first = cursor.next();
            firstSite[b] = first;
            if (first < 0) {
                continue;
            }
            int root = find(parent, first);
            for (int site = cursor.next(); site >= 0; site = cursor.next()) {
                if (parent[site] != root) { // most sites point at their root already: no look-up
                    root = union(parent, root, site);
                }
            }
        }
        return parent;
    }

    /** Joins the parts of two sites; the lower root becomes the root (any rule would do). Returns it. */
    private static int union(int[] parent, int a, int b) {
        int x = find(parent, a);
        int y = find(parent, b);
        if (x != y) {
            parent[Math.max(x, y)] = Math.min(x, y);
        }
        return Math.min(x, y);
    }

    private static int find(int[] parent, int site) {
        int root = site;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[site] != root) { // path compression: later look-ups are one step
            int next = parent[site];
            parent[site] = root;
            site = next;
        }
        return root;
    }
}
