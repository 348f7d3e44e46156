package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.ResourceVector;

/**
 * The displacing pass of one group: a bid left open (every server in reach full, or the cheapest with
 * room above its max) takes a server in its reach by displacing a few bids of lower priority from it.
 * Each displaced bid moves to the cheapest other server in its own reach with room, within its max;
 * one that finds none is left open. The change is kept only if the round's welfare rises (the open
 * bid's value above that of the bids left open); otherwise it is undone exactly.
 *
 * <p>A bid placed earlier in the round only ever gives way to one of higher priority, so the round's
 * order still decides who is served; what the pass adds is that a bid of high value shut out by a few
 * small, cheaper bids that filled the servers after it no longer stays shut out. Prices keep their
 * rule: the open bid is priced at what the server holds once the displaced bids are gone, a moved bid
 * at what its new server holds, and the settling (see {@link GroupSettling}) only lowers them.
 */
final class GroupDisplacing {

    /** Bids displaced from one server for one open bid, at most: bounds the moves tried per attempt. */
    static final int MOST_DISPLACED = 6;
    /** Servers tried per open bid per pass, those where the least value would be displaced first. */
    private static final int SERVERS_TRIED = 3;
    /** Work units of the round's budget an exact search for a displaced bid's new server costs. */
    static final int SCAN_WORK = 8;

    private final GroupState group;
    private final CheapestServer cheapest;
    private final ServerGrid.Cursor cursor;
    // scratch
    private final int[] chosen = new int[MOST_DISPLACED];
    private final int[] target = new int[MOST_DISPLACED];
    private final long[] savedPrice = new long[MOST_DISPLACED];
    private final long[] savedSequence = new long[MOST_DISPLACED];
    private final ResourceVector[] savedPricedAt =
            new ResourceVector[MOST_DISPLACED];
    private final int[] bestServers = new int[SERVERS_TRIED];
    private final long[] bestDisplaced = new long[SERVERS_TRIED];
    private int chosenCount;

    GroupDisplacing(GroupState group, CheapestServer cheapest) {
        this.group = group;
        this.cheapest = cheapest;
        this.cursor = group.grid.cursor();
    }

    /**
     * Tries to get the open bid (a group index) onto a server of its reach by displacing bids of lower
     * priority; whether the round's welfare rose. Spends the round's work budget in {@code repairs}.
     */
    boolean displace(int u, RoundRepairs repairs) {
        RoundBid bid = group.ordered[u];
        double minimum = bid.comparableMinReliability();
        int kept = 0;
        cursor.start(bid.latitude(), bid.longitude(), bid.withinKm());
        for (int s = cursor.next(); s >= 0 && repairs.anyWorkLeft(); s = cursor.next()) {
            repairs.spendWork(1);
            if (group.reliability[s] < minimum || !group.bigEnough(s, bid.demand())) {
                continue;
            }
            long displaced = choose(u, s);
            if (displaced < 0 || displaced >= bid.value() && kept == SERVERS_TRIED) {
                continue;
            }
            // keep the SERVERS_TRIED servers of least displaced value (the earlier visited at equal value)
            int at = Math.min(kept, SERVERS_TRIED - 1);
            if (kept == SERVERS_TRIED && bestDisplaced[at] <= displaced) {
                continue;
            }
            while (at > 0 && bestDisplaced[at - 1] > displaced) {
                bestServers[at] = bestServers[at - 1];
                bestDisplaced[at] = bestDisplaced[at - 1];
                at--;
            }
            bestServers[at] = s;
            bestDisplaced[at] = displaced;
            kept = Math.min(kept + 1, SERVERS_TRIED);
        }
        for (int i = 0; i < kept && repairs.anyWorkLeft(); i++) {
            choose(u, bestServers[i]);
            if (tryOn(u, bestServers[i], repairs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chooses into {@link #chosen} the bids of lower priority than {@code u} to displace from server
     * {@code s}, the least valuable first, until {@code u} fits within its max there; their total value,
     * or -1 if no {@link #MOST_DISPLACED} of them make room enough.
     */
    private long choose(int u, int s) {
        RoundBid bid = group.ordered[u];
        int[] members = group.members[s];
        int count = group.memberCount[s];
        long vcpus = group.reservedVcpus[s];
        long memory = group.reservedMemory[s];
        long disk = group.reservedDisk[s];
        // can all the lower-priority bids together make the room? (a cheap test before choosing)
        long lowerVcpus = 0;
        long lowerMemory = 0;
        long lowerDisk = 0;
        for (int k = 0; k < count; k++) {
            int x = members[k];
            if (x > u) {
                lowerVcpus += group.ordered[x].demand().vcpus();
                lowerMemory += group.ordered[x].demand().memoryMib();
                lowerDisk += group.ordered[x].demand().diskGib();
            }
        }
        if (!fits(s, vcpus - lowerVcpus, memory - lowerMemory, disk - lowerDisk, bid)) {
            return -1;
        }
        chosenCount = 0;
        long value = 0;
        while (true) {
            // room enough, and within the bid's max at what the server holds without the chosen bids
            if (fits(s, vcpus, memory, disk, bid) && group.servers.get(s).pricing().pricePerHourMicros(bid,
                    new ResourceVector((int) vcpus, memory, disk)) <= bid.maxPricePerHourMicros()) {
                return value;
            }
            if (chosenCount == MOST_DISPLACED) {
                return -1;
            }
            // the least valuable bid of lower priority not chosen yet; at equal value the lower priority
            int least = -1;
            for (int k = 0; k < count; k++) {
                int x = members[k];
                if (x > u && !isChosen(x) && (least < 0 || group.ordered[x].value() < group.ordered[least].value()
                        || group.ordered[x].value() == group.ordered[least].value() && x > least)) {
                    least = x;
                }
            }
            if (least < 0) {
                return -1;
            }
            chosen[chosenCount++] = least;
            value += group.ordered[least].value();
            vcpus -= group.ordered[least].demand().vcpus();
            memory -= group.ordered[least].demand().memoryMib();
            disk -= group.ordered[least].demand().diskGib();
        }
    }

    private boolean isChosen(int x) {
        for (int i = 0; i < chosenCount; i++) {
            if (chosen[i] == x) {
                return true;
            }
        }
        return false;
    }

    private boolean fits(int s, long vcpus, long memory, long disk, RoundBid bid) {
        return vcpus + bid.demand().vcpus() <= group.capVcpus[s]
                && memory + bid.demand().memoryMib() <= group.capMemory[s]
                && disk + bid.demand().diskGib() <= group.capDisk[s];
    }

    /**
     * Displaces the chosen bids from {@code s}, puts {@code u} there, and moves each displaced bid (higher
     * priority first) to the cheapest other server in its reach within its max, or leaves it open. Keeps
     * the change if the welfare rose, and otherwise restores every bid as it was.
     */
    private boolean tryOn(int u, int s, RoundRepairs repairs) {
        int count = chosenCount;
        sortByPriority(chosen, count);
        for (int i = 0; i < count; i++) {
            int x = chosen[i];
            savedPrice[i] = group.price[x];
            savedSequence[i] = group.sequence[x];
            savedPricedAt[i] = group.pricedAt[x];
            group.unassign(x, s);
        }
        RoundBid bid = group.ordered[u];
        int uWas = group.serverOf[u];
        long uPriceWas = group.price[u];
        UnmatchedCause uCauseWas = group.cause[u];
        long uPrice = group.servers.get(s).pricing().pricePerHourMicros(bid, group.reserved[s]);
        group.assign(u, s, uPrice, repairs.placing(group.roundIndex[u]));
        long lost = 0;
        for (int i = 0; i < count; i++) {
            int x = chosen[i];
            repairs.spendWork(SCAN_WORK);
            cheapest.scan(group.ordered[x], s);
            if (cheapest.found() >= 0 && cheapest.foundPrice() <= group.ordered[x].maxPricePerHourMicros()) {
                target[i] = cheapest.found();
                group.assign(x, target[i], cheapest.foundPrice(), repairs.placing(group.roundIndex[x]));
            } else {
                target[i] = -1;
                lost += group.ordered[x].value();
            }
        }
        if (bid.value() > lost) {
            for (int i = 0; i < count; i++) {
                if (target[i] < 0) {
                    group.cause[chosen[i]] = UnmatchedCause.ALL_FULL; // its room went to a bid of higher value
                }
            }
            return true;
        }
        for (int i = count - 1; i >= 0; i--) {
            if (target[i] >= 0) {
                group.unassign(chosen[i], target[i]);
            }
        }
        group.unassign(u, s);
        group.serverOf[u] = uWas;
        group.price[u] = uPriceWas;
        group.cause[u] = uCauseWas;
        for (int i = 0; i < count; i++) {
            int x = chosen[i];
            group.assign(x, s, savedPrice[i], savedSequence[i]);
            group.pricedAt[x] = savedPricedAt[i];
        }
        return false;
    }

    private static void sortByPriority(int[] bids, int count) {
        for (int i = 1; i < count; i++) {
            int b = bids[i];
            int j = i - 1;
            while (j >= 0 && bids[j] > b) {
                bids[j + 1] = bids[j];
                j--;
            }
            bids[j + 1] = b;
        }
    }
}
