package org.xenomarket.market.lease;

/** The life of a lease, from match to end. */
public enum LeaseState {
    /** Matched; waiting for the node agent to start the guest. */
    PENDING,
    STARTING,
    RUNNING,
    ENDING,
    ENDED,
    /** Best-effort lease whose capacity went to reserved demand. */
    PREEMPTED,
    FAILED
}
