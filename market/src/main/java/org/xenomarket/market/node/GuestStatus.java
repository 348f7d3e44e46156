package org.xenomarket.market.node;

/** What a node reports about one of its guests, as the agent's hypervisor layer names it. */
public enum GuestStatus {
    RUNNING,
    PAUSED,
    STOPPING,
    FAILED
}
