package org.xenomarket.market.lease;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.xenomarket.market.capacity.CapacityWindow;

/**
 * The lease state changes a node agent may report. Reporting the state a lease is already in is
 * allowed and changes nothing, so an agent may safely repeat a report whose answer it lost.
 */
public final class LeaseTransitions {

    /** States an agent reports; PENDING and PREEMPTED are the market's to set. */
    public static final Set<LeaseState> REPORTABLE = EnumSet.of(LeaseState.STARTING, LeaseState.RUNNING,
            LeaseState.ENDING, LeaseState.ENDED, LeaseState.FAILED);

    /** States in which a lease still has (or is about to have) a guest on its server. */
    public static final Set<LeaseState> ACTIVE = EnumSet.of(LeaseState.PENDING, LeaseState.STARTING,
            LeaseState.RUNNING, LeaseState.ENDING);

    private static final Map<LeaseState, Set<LeaseState>> NEXT = Map.of(
            LeaseState.PENDING, EnumSet.of(LeaseState.STARTING, LeaseState.RUNNING, LeaseState.FAILED),
            LeaseState.STARTING, EnumSet.of(LeaseState.RUNNING, LeaseState.FAILED),
            LeaseState.RUNNING, EnumSet.of(LeaseState.ENDING, LeaseState.ENDED, LeaseState.FAILED),
            LeaseState.ENDING, EnumSet.of(LeaseState.ENDED, LeaseState.FAILED));

    private LeaseTransitions() {
    }

    public static boolean allowed(LeaseState from, LeaseState to) {
        return from == to || NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /** Whether the node may report {@code to} for this lease; a pre-empted guest may end from any active state. */
    public static boolean allowed(Lease lease, LeaseState to) {
        if (to == LeaseState.ENDED && lease.preemptedAt != null && ACTIVE.contains(lease.state)) {
            return true;
        }
        return allowed(lease.state, to);
    }

    /**
     * The state a report puts the lease in: as reported, except that a pre-empted lease whose guest
     * ended is PREEMPTED, so its sponsor sees why it ended early. Reporting ENDED again for a lease
     * already PREEMPTED is the same repeated report and changes nothing.
     */
    public static LeaseState reached(Lease lease, LeaseState reported) {
        if (reported == LeaseState.ENDED && lease.preemptedAt != null) {
            return LeaseState.PREEMPTED;
        }
        return reported;
    }

    /**
     * The hours of the lease's capacity to give back when it fails at {@code at}: those from the hour
     * of the failure onwards (its guest is gone), null when none are left.
     */
    public static CapacityWindow releasedOnFailure(Lease lease, Instant at) {
        return CapacityWindow.tail(lease.startAt, lease.endAt, at);
    }
}
