package org.xenomarket.market.node;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.xenomarket.market.lease.LeaseState;

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
}
