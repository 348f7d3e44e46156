package org.xenomarket.market.clearing.service;

import org.xenomarket.market.problem.Conflict;

/** A round's booking found the region's lease taken over by another replica since the round began. */
public class RegionLost extends Conflict {

    public RegionLost(RegionFence fence) {
        super("region", "Region " + fence.region() + " was taken over by another market replica during this round"
                + " (the round held it at epoch " + fence.epoch() + "); its bookings were refused");
    }
}
