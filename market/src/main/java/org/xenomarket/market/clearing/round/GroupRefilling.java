package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import org.xenomarket.pricing.ResourceVector;

/**
 * The refilling pass of one group: a placed bid is taken off its server and moves to the cheapest other
 * server of its reach within its max if there is one; the room it frees is filled with open bids, densest
 * first (value per unit of the round's free capacity, see {@link #density}), each that reaches the server,
 * fits and is within its max there at what the server then holds. The change is kept only if the round's
 * welfare rises: the bids put in are worth more than the taken bid when it found no other server (then
 * it is left open, its room taken by bids worth more together), or worth anything when it moved;
 * otherwise it is undone exactly.
 *
 * <p>The displacing pass ({@link GroupDisplacing}) lets one open bid take the room of several of lower
 * value; this is its converse, what the linear relaxation's optimum does and a round in order of value
 * does not: several open bids, each worth less than a placed one, together take its room when they are
 * worth more in all (a long 8 vCPU bid against three short ones of 2..3 vCPU and more value together),
 * or fill the room a bid gives up by moving. So a bid of higher value may be left open for bids of lower
 * value, only when those are worth more together: the round maximises its welfare, the sum of the placed
 * bids' values. Prices keep their rule: a bid put in is priced at what the server holds when it goes
 * there, a moved bid at what its new server holds, and settling ({@link GroupSettling}) only lowers them.
 */
final class GroupRefilling {

    /**
     * Work units of the round's refilling budget an exact price costs (it evaluates a price sheet), as do a
     * placement and its undoing (each re-prices the server's index). A unit is an open bid looked at as a
     * candidate, or a site or server visited by the search for the taken bid's new server: a few comparisons.
     */
    static final int PRICE_WORK = 30;
    /** What tentative placements are numbered until the change is kept (then they get the round's next numbers). */
    private static final long TENTATIVE = Long.MAX_VALUE;

    private final GroupState group;
    private final CheapestServer cheapest;
    /** The weight of a vCPU, a MiB and a GiB of disk in a bid's size: one over the round's free amount of each. */
    private final double[] sizeWeights;
    /** Each bid's reach as {@link ServerGrid#reach} gives it, computed when the bid is first a candidate. */
    private final double[][] reach;
    /** The bids open at the start of the pass, for want of room or above their max, densest first. */
    private int[] open = new int[0];
    private double[] openDensity = new double[0];
    private int openCount;
    // scratch
    private int[] added = new int[8];
    /**
     * What {@link GroupState#serverOf} and {@link GroupState#price} said of each added bid before: an open
     * bid may remember the cheapest server and its price there for the reason it is open.
     */
    private int[] addedWas = new int[8];
    private long[] addedPriceWas = new long[8];

    GroupRefilling(GroupState group, CheapestServer cheapest, double[] sizeWeights) {
        this.group = group;
        this.cheapest = cheapest;
        this.sizeWeights = sizeWeights;
        this.reach = new double[group.ordered.length][];
    }

    /**
     * A bid's value per unit of size, its size being its demand of each resource over the round's free
     * amount of it, summed: the order the relaxation fills capacity in when each resource is priced by
     * its scarcity in the round as a whole.
     */
    private double density(int b) {
        RoundBid bid = group.ordered[b];
        ResourceVector d = bid.demand();
        double size = d.vcpus() * sizeWeights[0] + d.memoryMib() * sizeWeights[1] + d.diskGib() * sizeWeights[2];
        return size > 0 ? bid.value() / size : Double.MAX_VALUE;
    }

    /** Lists the bids open at the start of a pass, densest first (at equal density in the round's order). */
    void startPass() {
        int n = group.ordered.length;
        Integer[] listed = new Integer[n];
        double[] density = new double[n];
        int count = 0;
        for (int b = 0; b < n; b++) {
            if (group.openForRoomOrPrice(b)) {
                listed[count++] = b;
                density[b] = density(b);
            }
        }
        Arrays.sort(listed, 0, count, (x, y) -> {
            int c = Double.compare(density[y], density[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        if (open.length < count) {
            open = new int[count];
            openDensity = new double[count];
        }
        for (int i = 0; i < count; i++) {
            open[i] = listed[i];
            openDensity[i] = density[listed[i]];
        }
        openCount = count;
    }

    /** Whether the bid (a group index) is placed: what this pass may take off its server. */
    boolean placed(int b) {
        return group.serverOf[b] >= 0;
    }

    /**
     * Takes the placed bid {@code x} (a group index) off its server, moves it elsewhere if it can, and
     * fills the room with open bids; keeps the change if the welfare rose, and says whether it did.
     * Spends the round's refilling budget in {@code repairs}: a unit per candidate looked at,
     * {@link #PRICE_WORK} per exact price and per placement, and for the search for {@code x}'s new server a
     * unit per site and server it visits.
     */
    boolean refill(int x, RoundRepairs repairs) {
        RoundBid[] ordered = group.ordered;
        int s = group.serverOf[x];
        long savedPrice = group.price[x];
        long savedSequence = group.sequence[x];
        ResourceVector savedPricedAt = group.pricedAt[x];
        UnmatchedCause savedCause = group.cause[x];
        group.unassign(x, s);
        cheapest.scan(ordered[x], s);
        repairs.spendRefillingWork(cheapest.visited() + PRICE_WORK * cheapest.priced());
        int movedTo = -1;
        if (cheapest.found() >= 0 && cheapest.foundPrice() <= ordered[x].maxPricePerHourMicros()) {
            movedTo = cheapest.found();
            group.assign(x, movedTo, cheapest.foundPrice(), TENTATIVE);
        }
        RoundServer server = group.servers.get(s);
        int addedCount = 0;
        long gained = 0;
        // the taken bid, if it found no other server, is a candidate too, in its place by density
        boolean xListed = movedTo >= 0;
        double xDensity = xListed ? 0 : density(x);
        for (int i = 0; i <= openCount; i++) {
            int c;
            if (!xListed && (i == openCount || openDensity[i] < xDensity)) {
                c = x;
                xListed = true;
                i--;
            } else if (i < openCount) {
                c = open[i];
            } else {
                break;
            }
            if (group.serverOf[c] >= 0) {
                continue;
            }
            repairs.spendRefillingWork(1);
            RoundBid bid = ordered[c];
            ResourceVector demand = bid.demand();
            if (group.reservedVcpus[s] + demand.vcpus() > group.capVcpus[s]
                    || group.reservedMemory[s] + demand.memoryMib() > group.capMemory[s]
                    || group.reservedDisk[s] + demand.diskGib() > group.capDisk[s]
                    || group.reliability[s] < bid.comparableMinReliability() || !group.grid.reaches(s, reachOf(c))) {
                continue;
            }
            repairs.spendRefillingWork(PRICE_WORK);
            long p = server.pricing().pricePerHourMicros(bid, group.reserved[s]);
            if (p > bid.maxPricePerHourMicros()) {
                continue;
            }
            if (addedCount == added.length) {
                added = Arrays.copyOf(added, addedCount * 2);
                addedWas = Arrays.copyOf(addedWas, addedCount * 2);
                addedPriceWas = Arrays.copyOf(addedPriceWas, addedCount * 2);
            }
            addedWas[addedCount] = group.serverOf[c];
            addedPriceWas[addedCount] = group.price[c];
            added[addedCount++] = c;
            group.assign(c, s, p, TENTATIVE);
            repairs.spendRefillingWork(2 * PRICE_WORK); // the placement, and its undoing if the change is not kept
            gained += bid.value();
            if (group.reservedVcpus[s] >= group.capVcpus[s]) {
                break; // every bid asks for a vCPU at least: nothing more fits
            }
        }
        long lost = movedTo >= 0 ? 0 : ordered[x].value();
        if (gained > lost) {
            // kept: the placements are numbered now, in the order they were made
            if (movedTo >= 0) {
                group.sequence[x] = repairs.placing(group.roundIndex[x]);
            }
            for (int i = 0; i < addedCount; i++) {
                group.sequence[added[i]] = repairs.placing(group.roundIndex[added[i]]);
            }
            if (group.serverOf[x] < 0) {
                group.cause[x] = UnmatchedCause.ALL_FULL; // its room went to bids of more value in all
            }
            return true;
        }
        for (int i = addedCount - 1; i >= 0; i--) {
            group.unassign(added[i], s);
            group.serverOf[added[i]] = addedWas[i];
            group.price[added[i]] = addedPriceWas[i];
        }
        if (movedTo >= 0) {
            group.unassign(x, movedTo);
        }
        group.assign(x, s, savedPrice, savedSequence);
        group.pricedAt[x] = savedPricedAt;
        group.cause[x] = savedCause;
        return false;
    }

    private double[] reachOf(int b) {
        double[] r = reach[b];
        if (r == null) {
            RoundBid bid = group.ordered[b];
            r = ServerGrid.reach(bid.latitude(), bid.longitude(), bid.withinKm());
            reach[b] = r;
        }
        return r;
    }
}
