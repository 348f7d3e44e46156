package org.xenomarket.market.server;

/** Whether a server takes new leases. */
public enum ServerState {
    /** Listed, waiting for its node agent's first heartbeat. */
    PENDING,
    /** Takes new leases. */
    ACTIVE,
    /** Keeps its leases but takes no new ones. */
    DRAINING,
    /** Missed its heartbeats; takes nothing. */
    OFFLINE
}
