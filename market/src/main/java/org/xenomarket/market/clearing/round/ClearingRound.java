package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One clearing round: places open bids on servers, higher value first (max price per hour x hours;
 * at equal value the older bid, then the smaller id), each on the cheapest server within its
 * placement (and as reliable as its minimum, if it sets one) that has room, at the price that server
 * asks with what the round has already placed on it. So prices follow utilisation within the round
 * and load spreads to idle sites. A bid is placed only where that price is at most its max.
 *
 * <p>Then a repair pass: a bid left open because every server in its reach is full gets in if one
 * bid already on such a server can move to another server in <em>its</em> reach that has room and
 * is within its max. Then displacing passes (see {@link GroupDisplacing}): a bid still open, for want of room
 * or above its max, takes a server by displacing up to a few bids of lower priority, which move to other
 * servers of their reach or, only when the round's welfare rises, are left open; alternating with
 * refilling passes (see {@link GroupRefilling}): a placed bid is taken off its server, moves elsewhere if
 * it can, and the room is filled with open bids densest first, kept only when the welfare rises; until a
 * pass gains nothing. Finally prices are settled: each server's bids
 * are re-priced in the order they were placed, so each sponsor pays the price at the utilisation the
 * round had put on the server when its bid went there (a move only lowers it; never above the max).
 *
 * <p>The round is split into groups that share no server (see {@link RoundGroups}: bids whose reaches
 * never meet, such as metros an ocean apart), and the groups are placed at once on the machine's cores
 * (this thread and the common fork-join pool's, so never more threads than cores). The outcome is
 * exactly that of one group of everything: within a group bids keep the round's order and servers the
 * round's numbering, so every tie breaks the same way; placements keep the round's sequence; and the
 * repair pass runs on this thread, over the open bids in the round's order, with one budget for the
 * whole round (see {@link #MOVES_PER_ROUND}).
 *
 * <p>Plain Java, no I/O: the market loads servers and bids, runs this, and books the assignments.
 * Capacity is one vector per server for the whole round (the most reserved in any hour of the
 * bids' windows), so bids placed on one server are counted as if they overlapped: never more than
 * the server has, possibly less than it could take. Servers' pricing may be called from several
 * threads, each server's from one at a time ({@link SheetPricing} is thread-safe).
 */
public final class ClearingRound {

    /** The order bids are placed in: higher value, then older, then smaller id. */
    public static final Comparator<RoundBid> PRIORITY = Comparator.comparingLong(RoundBid::value).reversed()
            .thenComparing(RoundBid::placedAt)
            .thenComparing(RoundBid::id);

    /**
     * Moves tried in a whole round's repair pass: bounds it on a round with very many open bids. One
     * budget for the round, spent in the round's order across all groups, rather than a share per
     * group: a share would make which open bids get a move depend on how the round happens to split,
     * and the pass is a few percent of a round's time, so it runs on one thread.
     */
    static final int MOVES_PER_ROUND = 20_000;

    /**
     * Work of a whole round's displacing passes (see {@link GroupDisplacing}): a unit per server looked
     * at for an open bid, {@link GroupDisplacing#SCAN_WORK} per search for a displaced bid's new server.
     * One budget for the round, spent in the round's order, like {@link #MOVES_PER_ROUND}.
     */
    static final long DISPLACING_WORK_PER_ROUND = 400_000;
    /**
     * Work of a whole round's refilling passes (see {@link GroupRefilling}): a unit per open bid looked at
     * as a candidate or site or server visited by a search for a taken bid's new server,
     * {@link GroupRefilling#PRICE_WORK} per exact price or placement. On the quality instances (1,000 bids x
     * 100 servers) a round spends up to about 5,000,000; on larger rounds the budget bounds the pass's time.
     * One budget for the round, spent in the round's order.
     */
    static final long REFILLING_WORK_PER_ROUND = 5_000_000;
    /**
     * Improving passes at most, each a displacing pass over the open bids in the round's order and then a
     * refilling pass over the placed bids in reverse; they stop earlier once a pass gains nothing.
     */
    static final int IMPROVING_PASSES = 4;

    private ClearingRound() {
    }

    /**
     * The weights of a vCPU, a MiB of memory and a GiB of disk in a bid's size for the refilling passes' order
     * (see {@link GroupRefilling}): one over the servers' free amount of each (one where none is free). From
     * every server given, so a round split into groups weighs bids as one group of everything does.
     */
    static double[] sizeWeights(List<RoundServer> servers) {
        double[] free = new double[3];
        for (RoundServer s : servers) {
            free[0] += Math.max(0, s.capacity().vcpus() - s.reserved().vcpus());
            free[1] += Math.max(0, s.capacity().memoryMib() - s.reserved().memoryMib());
            free[2] += Math.max(0, s.capacity().diskGib() - s.reserved().diskGib());
        }
        double[] weights = new double[3];
        for (int r = 0; r < 3; r++) {
            weights[r] = 1 / Math.max(1, free[r]);
        }
        return weights;
    }

    /** Clears one round of the bids over the servers, its independent groups at once on the machine's cores. */
    public static RoundOutcome clear(List<RoundServer> servers, List<RoundBid> bids) {
        return clearInGroups(servers, bids, MOVES_PER_ROUND);
    }

    /** {@link #clear} with another repair budget, so tests can run it out. */
    static RoundOutcome clearInGroups(List<RoundServer> servers, List<RoundBid> bids, int movesPerRound) {
        RoundBid[] ordered = inPriorityOrder(bids);
        return run(ordered, RoundGroups.byReach(servers, ordered, true), sizeWeights(servers), true, true, movesPerRound);
    }

    /**
     * The same round as one group of everything, on this thread alone: what the split must agree with
     * exactly (tests compare the two).
     */
    static RoundOutcome clearAsOneGroup(List<RoundServer> servers, List<RoundBid> bids, int movesPerRound) {
        RoundBid[] ordered = inPriorityOrder(bids);
        return run(ordered, RoundGroups.oneGroup(servers, ordered), sizeWeights(servers), true, false, movesPerRound);
    }

    /**
     * The same round with every scan visiting every server in reach, no site or server skipped by a
     * bound, as one group on this thread: the reference the pruned scan must agree with exactly.
     */
    static RoundOutcome clearVisitingEveryServer(List<RoundServer> servers, List<RoundBid> bids) {
        RoundBid[] ordered = inPriorityOrder(bids);
        return run(ordered, RoundGroups.oneGroup(servers, ordered), sizeWeights(servers), false, false,
                MOVES_PER_ROUND);
    }

    private static RoundOutcome run(RoundBid[] ordered, RoundGroups splitInto, double[] sizeWeights, boolean prune,
                                    boolean parallel, int movesPerRound) {
        int n = ordered.length;
        List<RoundGroups.Group> split = splitInto.groups();
        int[] groupOf = new int[n];
        int[] indexInGroup = new int[n];
        Arrays.fill(groupOf, -1);
        for (int g = 0; g < split.size(); g++) {
            int[] bids = split.get(g).bids();
            for (int i = 0; i < bids.length; i++) {
                groupOf[bids[i]] = g;
                indexInGroup[bids[i]] = i;
            }
        }
        // each group built and placed by the thread that takes it; join() publishes the slots to this one
        GroupRound[] groups = new GroupRound[split.size()];
        List<Integer> largestFirst = new ArrayList<>();
        for (int g = 0; g < split.size(); g++) {
            largestFirst.add(g);
        }
        largestFirst.sort(Comparator.comparingInt((Integer g) -> -split.get(g).bids().length).thenComparingInt(g -> g));
        OnTheCores.each(largestFirst, g -> {
            groups[g] = new GroupRound(split.get(g).servers(), ordered, split.get(g).bids(), sizeWeights, prune);
            groups[g].placeAll();
        }, parallel);

        RoundRepairs repairs = new RoundRepairs(movesPerRound, DISPLACING_WORK_PER_ROUND, REFILLING_WORK_PER_ROUND, n);
        for (int b = 0; b < n; b++) {
            int g = groupOf[b];
            if (g >= 0 && groups[g].leftOpenForRoom(indexInGroup[b])) {
                groups[g].repair(indexInGroup[b], repairs);
            }
        }
        boolean gained = true;
        for (int pass = 0; pass < IMPROVING_PASSES && gained; pass++) {
            gained = false;
            for (int b = 0; b < n && repairs.anyWorkLeft(); b++) {
                int g = groupOf[b];
                if (g >= 0 && groups[g].openForRoomOrPrice(indexInGroup[b])) {
                    gained |= groups[g].displace(indexInGroup[b], repairs);
                }
            }
            if (!repairs.anyRefillingWorkLeft()) {
                continue;
            }
            for (GroupRound group : groups) {
                group.startRefilling();
            }
            for (int b = n - 1; b >= 0 && repairs.anyRefillingWorkLeft(); b--) {
                int g = groupOf[b];
                if (g >= 0 && groups[g].placed(indexInGroup[b])) {
                    gained |= groups[g].refill(indexInGroup[b], repairs);
                }
            }
        }

        Assignment[] assignments = new Assignment[n];
        long[] sequences = new long[n];
        Unmatched[] unmatched = new Unmatched[n];
        OnTheCores.each(Arrays.asList(groups), round -> {
            round.settlePrices();
            round.report(assignments, sequences, unmatched);
        }, parallel);
        for (int b : splitInto.outOfReach()) {
            unmatched[b] = new Unmatched(ordered[b], UnmatchedCause.NONE_IN_REACH, null, 0);
        }
        return outcome(assignments, sequences, unmatched, repairs.placedInOrder());
    }

    /**
     * Placed bids in the order they were placed (the placing phase's in the round's order, then the
     * repair pass's), and the open bids in the round's order: what one group of everything gives.
     */
    private static RoundOutcome outcome(Assignment[] assignments, long[] sequences, Unmatched[] unmatched,
                                        int[] repaired) {
        int n = assignments.length;
        List<Assignment> placed = new ArrayList<>();
        List<Unmatched> open = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            if (assignments[b] == null) {
                open.add(unmatched[b]);
            } else if (sequences[b] < n) {
                placed.add(assignments[b]);
            }
        }
        for (int k = 0; k < repaired.length; k++) {
            int b = repaired[k];
            if (sequences[b] == n + k) { // a bid the pass moved again later is listed at its last placement
                placed.add(assignments[b]);
            }
        }
        return new RoundOutcome(placed, open);
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
}
