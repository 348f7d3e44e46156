package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import java.util.List;

/**
 * An upper bound on any round's welfare tighter than the LP relaxation's ({@link LpWelfareBound}): the
 * same pairs and capacity rows, but each server's bids must fit it whole. Lagrangian relaxation of the
 * other rows instead of the capacity: each bid's "at most once" row gets a price {@code lambda_b}, each
 * server's disk (and, with {@code memoryWhole} false, memory) row a price; what is left splits into one
 * 0/1 knapsack per server over its vCPUs (and whole GiB of memory), solved exactly by dynamic programming.
 * For any prices the sum of the prices' worth and the knapsacks' optima bounds every whole assignment
 * (weak duality), so every step's value is a valid bound and the least one is kept.
 *
 * <p>Its least value is the LP over the convex hull of each server's whole fillings, which is never above
 * the relaxation's optimum and is below it wherever a server's LP optimum holds a bid in part. It starts
 * from the relaxation's own prices (so its first value is at most the LP bound) and descends by subgradient
 * steps. Congestion pricing is left out as in the relaxation, so rounds stay under it.
 *
 * <p>On the way it builds whole assignments from the servers' knapsacks (a Lagrangian heuristic, see
 * {@link #wholeAssignment}), so the model's integral optimum is pinned between the best found and the
 * bound; congestion is left out there too, so they are what the bound's model reaches, not the market.
 *
 * <p>Needs memory in whole GiB (every quality instance's is); a measuring tool, not the market's.
 */
final class ServerKnapsackBound {

    private static final long GIB = 1_024;

    private final int bids;
    private final int servers;
    private final double[] value;
    private final int[] vcpus;
    private final int[] gib;
    /** Disk and memory in scaled units, a server's mean free amount being 1 (so their prices are comparable). */
    private final double[] disk;
    private final double[] memory;
    private final int[] freeVcpus;
    private final int[] freeGib;
    private final double[] freeDisk;
    private final double[] freeMemory;
    /** Per server, the bids that could ever go on it. */
    private final int[][] bidsOf;
    private final boolean[][] paired;
    private final double diskScale;
    private final double memoryScale;

    private ServerKnapsackBound(List<RoundServer> serverList, List<RoundBid> bidList) {
        bids = bidList.size();
        servers = serverList.size();
        freeVcpus = new int[servers];
        freeGib = new int[servers];
        freeDisk = new double[servers];
        freeMemory = new double[servers];
        double meanDisk = 0;
        double meanMemory = 0;
        for (int s = 0; s < servers; s++) {
            RoundServer server = serverList.get(s);
            freeVcpus[s] = Math.max(0, server.capacity().vcpus() - server.reserved().vcpus());
            long freeMib = Math.max(0, server.capacity().memoryMib() - server.reserved().memoryMib());
            freeGib[s] = (int) (freeMib / GIB); // floor: bids ask whole GiB, so no filling uses the part GiB
            freeMemory[s] = freeMib;
            freeDisk[s] = Math.max(0, server.capacity().diskGib() - server.reserved().diskGib());
            meanDisk += freeDisk[s] / servers;
            meanMemory += freeMemory[s] / servers;
        }
        diskScale = meanDisk > 0 ? meanDisk : 1;
        memoryScale = meanMemory > 0 ? meanMemory : 1;
        for (int s = 0; s < servers; s++) {
            freeDisk[s] /= diskScale;
            freeMemory[s] /= memoryScale;
        }
        value = new double[bids];
        vcpus = new int[bids];
        gib = new int[bids];
        disk = new double[bids];
        memory = new double[bids];
        int[][] lists = new int[servers][bids];
        int[] counts = new int[servers];
        for (int b = 0; b < bids; b++) {
            RoundBid bid = bidList.get(b);
            if (bid.demand().memoryMib() % GIB != 0) {
                throw new IllegalArgumentException("memory not in whole GiB: " + bid.demand());
            }
            value[b] = bid.value();
            vcpus[b] = bid.demand().vcpus();
            gib[b] = (int) (bid.demand().memoryMib() / GIB);
            disk[b] = bid.demand().diskGib() / diskScale;
            memory[b] = bid.demand().memoryMib() / memoryScale;
            for (int s = 0; s < servers; s++) {
                if (LpWelfareBound.couldEverGo(bid, serverList.get(s))) {
                    lists[s][counts[s]++] = b;
                }
            }
        }
        bidsOf = new int[servers][];
        paired = new boolean[servers][bids];
        for (int s = 0; s < servers; s++) {
            bidsOf[s] = Arrays.copyOf(lists[s], counts[s]);
            for (int b : bidsOf[s]) {
                paired[s][b] = true;
            }
        }
    }

    /**
     * The least bound found in {@code steps} subgradient steps from the relaxation's prices (found in
     * {@code lpSteps} steps of {@link LpWelfareBound#lagrangian}), in micro-units. With {@code memoryWhole}
     * each server's knapsack holds whole GiB of memory too (tighter, slower); without, memory is priced.
     */
    static Result bound(List<RoundServer> servers, List<RoundBid> bids, double achieved, int lpSteps, int steps,
                        boolean memoryWhole) {
        double[][] prices = LpWelfareBound.lagrangianPrices(servers, bids, achieved, lpSteps);
        ServerKnapsackBound problem = new ServerKnapsackBound(servers, bids);
        double bound = problem.descend(prices, achieved, steps, memoryWhole);
        return new Result(bound, problem.bestWhole);
    }

    /**
     * The bound, and the welfare of the best whole assignment found on the way (each bid on at most one
     * server of its pairs, every server's vCPU, memory and disk within what it has free): what the
     * relaxation's model reaches, congestion pricing left out, so the model's optimum lies between the two.
     */
    record Result(double bound, double whole) {
    }

    /** The best whole assignment's welfare found so far (see {@link #wholeAssignment}). */
    private double bestWhole;

    private double descend(double[][] lpPrices, double achieved, int steps, boolean memoryWhole) {
        double[] lambda = new double[bids];
        double[] diskPrice = new double[servers];
        double[] memoryPrice = new double[servers];
        for (int s = 0; s < servers; s++) {
            diskPrice[s] = lpPrices[s][2] * diskScale;
            memoryPrice[s] = memoryWhole ? 0 : lpPrices[s][1] * memoryScale;
        }
        // each bid's price: its best surplus at the relaxation's prices (its dual in the relaxation)
        for (int s = 0; s < servers; s++) {
            for (int b : bidsOf[s]) {
                double surplus = value[b] - vcpus[b] * lpPrices[s][0] - gib[b] * GIB * lpPrices[s][1]
                        - disk[b] * diskPrice[s];
                lambda[b] = Math.max(lambda[b], surplus);
            }
        }
        int[] taken = new int[bids];
        double[] diskUsed = new double[servers];
        double[] memoryUsed = new double[servers];
        int[] chosen = new int[bids];
        double best = Double.POSITIVE_INFINITY;
        double theta = 1.0;
        int sinceImproved = 0;
        for (int step = 0; step < steps; step++) {
            Arrays.fill(taken, 0);
            double bound = 0;
            for (int b = 0; b < bids; b++) {
                bound += lambda[b];
            }
            for (int s = 0; s < servers; s++) {
                bound += diskPrice[s] * freeDisk[s] + memoryPrice[s] * freeMemory[s];
                int count = knapsack(s, lambda, diskPrice[s], memoryPrice[s], memoryWhole, chosen);
                diskUsed[s] = 0;
                memoryUsed[s] = 0;
                for (int k = 0; k < count; k++) {
                    int b = chosen[k];
                    taken[b]++;
                    diskUsed[s] += disk[b];
                    memoryUsed[s] += memory[b];
                    bound += value[b] - lambda[b] - diskPrice[s] * disk[b] - memoryPrice[s] * memory[b];
                }
            }
            if (best == Double.POSITIVE_INFINITY || bound < best - 1e-9 * best) {
                best = bound;
                sinceImproved = 0;
            } else if (++sinceImproved >= 10) {
                theta /= 2;
                sinceImproved = 0;
            }
            if (step % 10 == 0 || step == steps - 1) {
                bestWhole = Math.max(bestWhole, wholeAssignment(lambda, diskPrice, memoryPrice, memoryWhole, chosen));
            }
            double norm = 0;
            for (int b = 0; b < bids; b++) {
                double g = 1 - taken[b];
                norm += (lambda[b] > 0 || g < 0) ? g * g : 0;
            }
            for (int s = 0; s < servers; s++) {
                double g = freeDisk[s] - diskUsed[s];
                norm += g * g;
                if (!memoryWhole) {
                    g = freeMemory[s] - memoryUsed[s];
                    norm += g * g;
                }
            }
            if (norm == 0 || theta < 1e-4) {
                break;
            }
            double length = theta * Math.max(bound - achieved, 1e-9 * bound) / norm;
            for (int b = 0; b < bids; b++) {
                lambda[b] = Math.max(0, lambda[b] - length * (1 - taken[b]));
            }
            for (int s = 0; s < servers; s++) {
                diskPrice[s] = Math.max(0, diskPrice[s] - length * (freeDisk[s] - diskUsed[s]));
                if (!memoryWhole) {
                    memoryPrice[s] = Math.max(0, memoryPrice[s] - length * (freeMemory[s] - memoryUsed[s]));
                }
            }
        }
        return best;
    }

    /**
     * A whole assignment from the servers' knapsacks at these prices (a Lagrangian heuristic): each server
     * keeps the bids its knapsack chose, a bid chosen by several only on the one where its reduced profit is
     * highest, bids dropped until the disk fits; then the bids still out, by value per weighted size, go
     * onto the first server of their pairs with room. Its welfare, in micro-units.
     */
    private double wholeAssignment(double[] lambda, double[] diskPrice, double[] memoryPrice, boolean memoryWhole,
                                   int[] chosen) {
        int[] on = new int[bids];
        double[] best = new double[bids];
        Arrays.fill(on, -1);
        for (int s = 0; s < servers; s++) {
            int count = knapsack(s, lambda, diskPrice[s], memoryPrice[s], memoryWhole, chosen);
            for (int k = 0; k < count; k++) {
                int b = chosen[k];
                double p = value[b] - lambda[b] - diskPrice[s] * disk[b] - memoryPrice[s] * memory[b];
                if (on[b] < 0 || p > best[b]) {
                    on[b] = s;
                    best[b] = p;
                }
            }
        }
        long[] usedVcpus = new long[servers];
        long[] usedGib = new long[servers];
        double[] usedDisk = new double[servers];
        Integer[] byDensity = new Integer[bids];
        for (int b = 0; b < bids; b++) {
            byDensity[b] = b;
        }
        double[] size = new double[bids];
        double meanVcpus = 0;
        for (int s = 0; s < servers; s++) {
            meanVcpus += (double) freeVcpus[s] / servers;
        }
        for (int b = 0; b < bids; b++) {
            size[b] = vcpus[b] / Math.max(1, meanVcpus) + memory[b] + disk[b];
        }
        Arrays.sort(byDensity, (x, y) -> Double.compare(value[y] / size[y], value[x] / size[x]));
        double welfare = 0;
        // the knapsacks' choices first, densest first, each kept only if it still fits (disk; memory when priced)
        for (int b : byDensity) {
            int s = on[b];
            on[b] = -1;
            if (s >= 0 && fits(s, b, usedVcpus, usedGib, usedDisk)) {
                take(s, b, usedVcpus, usedGib, usedDisk);
                on[b] = s;
                welfare += value[b];
            }
        }
        // then the rest, densest first, on the first server of their pairs with room
        for (int b : byDensity) {
            if (on[b] >= 0) {
                continue;
            }
            for (int s = 0; s < servers; s++) {
                if (paired[s][b] && fits(s, b, usedVcpus, usedGib, usedDisk)) {
                    take(s, b, usedVcpus, usedGib, usedDisk);
                    on[b] = s;
                    welfare += value[b];
                    break;
                }
            }
        }
        return welfare;
    }

    private boolean fits(int s, int b, long[] usedVcpus, long[] usedGib, double[] usedDisk) {
        return usedVcpus[s] + vcpus[b] <= freeVcpus[s] && usedGib[s] + gib[b] <= freeGib[s]
                && usedDisk[s] + disk[b] <= freeDisk[s] * (1 + 1e-12);
    }

    private void take(int s, int b, long[] usedVcpus, long[] usedGib, double[] usedDisk) {
        usedVcpus[s] += vcpus[b];
        usedGib[s] += gib[b];
        usedDisk[s] += disk[b];
    }

    // scratch of the knapsacks
    private double[] table = new double[0];
    private boolean[] take = new boolean[0];
    private int[] items = new int[0];
    private double[] profit = new double[0];

    /**
     * Server {@code s}'s best whole filling at these prices: its bids of positive reduced profit, within
     * its free vCPUs (and GiB); writes them into {@code chosen} and says how many.
     */
    private int knapsack(int s, double[] lambda, double diskPrice, double memoryPrice, boolean memoryWhole,
                         int[] chosen) {
        int[] candidates = bidsOf[s];
        if (items.length < candidates.length) {
            items = new int[candidates.length];
            profit = new double[candidates.length];
        }
        int n = 0;
        for (int b : candidates) {
            double p = value[b] - lambda[b] - diskPrice * disk[b] - memoryPrice * memory[b];
            if (p > 0) {
                items[n] = b;
                profit[n++] = p;
            }
        }
        int width = freeVcpus[s] + 1;
        int height = memoryWhole ? freeGib[s] + 1 : 1;
        int states = width * height;
        if (table.length < states) {
            table = new double[states];
        }
        if (take.length < (long) n * states) {
            take = new boolean[Math.max(n * states, 2 * take.length)];
        }
        Arrays.fill(table, 0, states, 0);
        for (int k = 0; k < n; k++) {
            int c = vcpus[items[k]];
            int g = memoryWhole ? gib[items[k]] : 0;
            double p = profit[k];
            int row = k * states;
            for (int m = height - 1; m >= g; m--) {
                for (int v = width - 1; v >= c; v--) {
                    int at = m * width + v;
                    double with = table[at - g * width - c] + p;
                    if (with > table[at]) {
                        table[at] = with;
                        take[row + at] = true;
                    } else {
                        take[row + at] = false;
                    }
                }
                for (int v = Math.min(c, width) - 1; v >= 0; v--) {
                    take[row + m * width + v] = false;
                }
            }
            for (int m = Math.min(g, height) - 1; m >= 0; m--) {
                for (int v = 0; v < width; v++) {
                    take[row + m * width + v] = false;
                }
            }
        }
        int count = 0;
        int v = width - 1;
        int m = height - 1;
        for (int k = n - 1; k >= 0; k--) {
            if (take[k * states + m * width + v]) {
                chosen[count++] = items[k];
                v -= vcpus[items[k]];
                m -= memoryWhole ? gib[items[k]] : 0;
            }
        }
        return count;
    }
}
