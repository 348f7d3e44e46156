package org.xenomarket.market.server;

import java.util.List;
import org.xenomarket.market.capacity.AcceleratorListing;

/**
 * A provider lists a server: its name, the code of the site it stands at, what it can host, the
 * hypervisor it runs, its floor prices ({@link FloorPrices#NONE} for none) and its accelerators by model
 * (empty for none).
 */
public record ServerListing(String name, String siteCode, int vcpus, long memoryMib, long diskGib, long egressMbps,
                           Hypervisor hypervisor, FloorPrices floorPrices, List<AcceleratorListing> accelerators) {

    public ServerListing {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
    }

    /** A listing without accelerators. */
    public ServerListing(String name, String siteCode, int vcpus, long memoryMib, long diskGib, long egressMbps,
                         Hypervisor hypervisor, FloorPrices floorPrices) {
        this(name, siteCode, vcpus, memoryMib, diskGib, egressMbps, hypervisor, floorPrices, List.of());
    }
}
