package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/**
 * The most welfare any assignment of bids to servers can reach, by exhaustive branch and bound: each
 * bid goes to one server within its reach or to none; no server holds more than it has free.
 *
 * <p>The bids on a server must be placeable there one after the other, in <em>some</em> order, each at
 * most its max at the server's price with the bids before it (and itself) reserved: exactly the pricing
 * a round applies, but free of the round's rules of value order and cheapest server; so it is the best
 * any congestion-priced round could do.
 */
final class ExactWelfare {

    private final int n;
    private final int m;
    private final long[] value;
    private final long[][] demand;
    private final boolean[][] eligible;
    private final long[][] free;
    private final int[][] densityOrder;
    private final RoundBid[] sorted;
    private final List<RoundServer> servers;
    /** The bids on each server in the branch being explored: indices, and how many. */
    private final int[][] onServer;
    private final int[] onServerCount;
    /** Bit sets of the bids on each server in the branch being explored, and known verdicts on them. */
    private final long[] mask;
    private final java.util.Map<Long, Boolean> placeable = new java.util.HashMap<>();
    private long best;

    private ExactWelfare(List<RoundServer> servers, List<RoundBid> bids) {
        this.servers = servers;
        sorted = bids.toArray(new RoundBid[0]);
        Arrays.sort(sorted, Comparator.comparingLong(RoundBid::value).reversed());
        n = sorted.length;
        m = servers.size();
        value = new long[n];
        demand = new long[n][3];
        eligible = new boolean[n][m];
        for (int b = 0; b < n; b++) {
            RoundBid bid = sorted[b];
            value[b] = bid.value();
            demand[b] = new long[] {bid.demand().vcpus(), bid.demand().memoryMib(), bid.demand().diskGib()};
            for (int s = 0; s < m; s++) {
                RoundServer server = servers.get(s);
                eligible[b][s] = km(bid, server) <= bid.withinKm()
                        && bid.demand().plus(server.reserved()).fitsWithin(server.capacity())
                        && server.pricing().pricePerHourMicros(bid, server.reserved()) <= bid.maxPricePerHourMicros();
            }
        }
        onServer = new int[m][n];
        onServerCount = new int[m];
        mask = new long[m];
        free = new long[m][];
        for (int s = 0; s < m; s++) {
            RoundServer server = servers.get(s);
            free[s] = new long[] {server.capacity().vcpus() - server.reserved().vcpus(),
                    server.capacity().memoryMib() - server.reserved().memoryMib(),
                    server.capacity().diskGib() - server.reserved().diskGib()};
        }
        densityOrder = new int[3][];
        for (int d = 0; d < 3; d++) {
            final int dim = d;
            densityOrder[d] = java.util.stream.IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer b) -> -(double) value[b] / Math.max(1, demand[b][dim])))
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * The best welfare of any congestion-priced assignment; {@code known} is a welfare one such
     * assignment reaches (it prunes from the start).
     */
    static long congestionPriced(List<RoundServer> servers, List<RoundBid> bids, long known) {
        ExactWelfare search = new ExactWelfare(servers, bids);
        search.best = known;
        search.branch(0, 0);
        return search.best;
    }

    private void branch(int b, long welfare) {
        if (welfare > best) {
            best = welfare;
        }
        if (b == n || bound(b, welfare) <= best) {
            return;
        }
        for (int s = 0; s < m; s++) {
            if (eligible[b][s] && fits(b, s) && placeableInSomeOrder(b, s)) {
                take(b, s, -1);
                onServer[s][onServerCount[s]++] = b;
                mask[s] |= 1L << b;
                branch(b + 1, welfare + value[b]);
                mask[s] &= ~(1L << b);
                onServerCount[s]--;
                take(b, s, 1);
            }
        }
        branch(b + 1, welfare);
    }

    /** Welfare so far plus an optimistic estimate of the rest: fractional knapsacks per resource. */
    private long bound(int from, long welfare) {
        boolean[] placeable = new boolean[n];
        long sum = 0;
        for (int b = from; b < n; b++) {
            for (int s = 0; s < m && !placeable[b]; s++) {
                placeable[b] = eligible[b][s] && fits(b, s);
            }
            if (placeable[b]) {
                sum += value[b];
            }
        }
        double tightest = sum;
        for (int d = 0; d < 3; d++) {
            double room = 0;
            for (int s = 0; s < m; s++) {
                room += free[s][d];
            }
            double fractional = 0;
            for (int b : densityOrder[d]) {
                if (b < from || !placeable[b]) {
                    continue;
                }
                if (demand[b][d] <= room) {
                    room -= demand[b][d];
                    fractional += value[b];
                } else {
                    fractional += value[b] * (room / demand[b][d]);
                    break;
                }
            }
            tightest = Math.min(tightest, fractional);
        }
        return welfare + (long) Math.floor(tightest + 1e-6);
    }

    /**
     * Whether the server's bids plus bid b can be placed one after another in some order, each within
     * its max at the price with those before it reserved. Peeling from the end decides it: the last bid
     * sees everything reserved; any bid that accepts that price can go last, and choosing it never hurts,
     * since every other bid's price only falls as bids are peeled off (prices rise with utilisation).
     */
    private boolean placeableInSomeOrder(int b, int s) {
        long key = ((mask[s] | 1L << b) << 3) | s;
        Boolean known = placeable.get(key);
        if (known == null) {
            known = peel(b, s);
            placeable.put(key, known);
        }
        return known;
    }

    private boolean peel(int b, int s) {
        int k = onServerCount[s];
        int[] set = java.util.Arrays.copyOf(onServer[s], k + 1);
        set[k] = b;
        int left = k + 1;
        RoundServer server = servers.get(s);
        long vcpus = server.reserved().vcpus();
        long memory = server.reserved().memoryMib();
        long disk = server.reserved().diskGib();
        for (int i = 0; i < left; i++) {
            vcpus += demand[set[i]][0];
            memory += demand[set[i]][1];
            disk += demand[set[i]][2];
        }
        while (left > 0) {
            int last = -1;
            for (int i = 0; i < left && last < 0; i++) {
                long[] d = demand[set[i]];
                ResourceVector before = new ResourceVector((int) (vcpus - d[0]), memory - d[1], disk - d[2]);
                if (server.pricing().pricePerHourMicros(sorted[set[i]], before) <= sorted[set[i]].maxPricePerHourMicros()) {
                    last = i;
                }
            }
            if (last < 0) {
                return false;
            }
            long[] d = demand[set[last]];
            vcpus -= d[0];
            memory -= d[1];
            disk -= d[2];
            set[last] = set[--left];
        }
        return true;
    }

    private boolean fits(int b, int s) {
        return demand[b][0] <= free[s][0] && demand[b][1] <= free[s][1] && demand[b][2] <= free[s][2];
    }

    private void take(int b, int s, int sign) {
        for (int d = 0; d < 3; d++) {
            free[s][d] += sign * demand[b][d];
        }
    }

    static double km(RoundBid bid, RoundServer server) {
        double dp = Math.toRadians(server.latitude() - bid.latitude());
        double dl = Math.toRadians(server.longitude() - bid.longitude());
        double h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(Math.toRadians(bid.latitude()))
                * Math.cos(Math.toRadians(server.latitude())) * Math.pow(Math.sin(dl / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
