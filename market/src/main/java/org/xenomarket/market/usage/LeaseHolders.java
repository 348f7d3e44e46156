package org.xenomarket.market.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which server held a lease when: the server it was booked on from its start, and after each move that
 * was done (issue 16 item 3) the move's new server from the instant the move was done. A node may report
 * usage of the lease only for the time its server held it, give or take the clocks' skew: the old node's
 * last records, sent after the move, are still its own, and neither node can bill the other's hours.
 *
 * @param current   the server that holds the lease now
 * @param movedFrom the old server of each done move, in the order the moves were done
 * @param movedAt   when each of those moves was done (the new node reported the guest restored)
 */
public record LeaseHolders(UUID current, List<UUID> movedFrom, List<Instant> movedAt) {

    public LeaseHolders {
        movedFrom = List.copyOf(movedFrom);
        movedAt = List.copyOf(movedAt);
        if (movedFrom.size() != movedAt.size()) {
            throw new IllegalArgumentException("each move needs its old server and its time");
        }
    }

    /** A lease that never moved. */
    public static LeaseHolders unmoved(UUID server) {
        return new LeaseHolders(server, List.of(), List.of());
    }

    /**
     * Why {@code server} may not report {@code [t0, t1)} of the lease, or null when it held the lease all
     * that time. The lease's own window is checked apart ({@link RecordWindow#leaseProblem}); here the
     * first holder's time starts, and the last one's ends, unbounded.
     */
    public String problem(UUID server, Instant t0, Instant t1, String leaseId) {
        int spans = movedAt.size() + 1;
        boolean held = false;
        for (int i = 0; i < spans; i++) {
            UUID holder = i < movedFrom.size() ? movedFrom.get(i) : current;
            if (!holder.equals(server)) {
                continue;
            }
            held = true;
            Instant from = i == 0 ? Instant.MIN : movedAt.get(i - 1).minus(RecordWindow.CLOCK_SKEW);
            Instant to = i == spans - 1 ? Instant.MAX : movedAt.get(i).plus(RecordWindow.CLOCK_SKEW);
            if (!t0.isBefore(from) && !t1.isAfter(to)) {
                return null;
            }
        }
        if (!held) {
            return "lease " + leaseId + " is not on this node's server";
        }
        return "[" + t0 + ", " + t1 + ") is not within the time this node's server held lease " + leaseId
                + " (it moved between servers at " + movedAt + ")";
    }
}
