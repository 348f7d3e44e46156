package org.xenomarket.market.clearing.service;

/**
 * What one clearing round of a region did: whether it ran at all (another market instance may hold
 * the region), how many open bids and servers it saw, how many bids it placed, how many of those it
 * booked and how many bookings the database refused (room taken meanwhile, bid no longer open);
 * how many reserved bids it left open for want of room it tried to match by pre-empting best-effort
 * leases, how many it matched so and how many best-effort leases that pre-empted; how many bids it
 * left open in the end, and how long the matching alone, the pre-emptions and the whole round took;
 * how many of the leases it booked start from a warm cache (on a server whose site's image cache
 * already held the image the bid names), and the round's other phases: loading (servers, bids, peak
 * reservations), building price sheets, booking (quotes, leases, capacity, bids, and the lease events
 * their inserts notify) and writing the reasons of bids left open.
 */
public record RoundReport(String region, boolean ran, int bids, int servers, int placed, int booked,
                          int bookingsRefused, int preemptionsTried, int matchedByPreemption, int leasesPreempted,
                          int leftOpen, long matchingMillis, long preemptionMillis, long totalMillis,
                          int warmCacheLeases, long loadMillis, long sheetsMillis, long bookingMillis,
                          long reasonsMillis) {

    static RoundReport skipped(String region) {
        return new RoundReport(region, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
