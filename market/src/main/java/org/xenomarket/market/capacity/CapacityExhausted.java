package org.xenomarket.market.capacity;

import java.util.UUID;

/**
 * A server had not enough free capacity in some hour of a window. Raised inside a matching
 * transaction to roll it back, so the matcher can try the next server; never shown to a client.
 */
public class CapacityExhausted extends RuntimeException {

    public CapacityExhausted(UUID serverId, CapacityWindow window) {
        super("server " + serverId + " has not enough free capacity in some hour from "
                + window.firstBucket() + " to " + window.end(), null, false, false);
    }
}
