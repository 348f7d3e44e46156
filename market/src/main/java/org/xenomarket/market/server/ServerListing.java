package org.xenomarket.market.server;

/**
 * A provider lists a server: its name, the code of the site it stands at, what it can host, the
 * hypervisor it runs, and its floor prices ({@link FloorPrices#NONE} for none).
 */
public record ServerListing(String name, String siteCode, int vcpus, long memoryMib, long diskGib, long egressMbps,
                           Hypervisor hypervisor, FloorPrices floorPrices) {
}
