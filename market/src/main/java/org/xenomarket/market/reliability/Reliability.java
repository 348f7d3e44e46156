package org.xenomarket.market.reliability;

/**
 * A server's reliability score in [0, 1] with the two parts it is made of.
 *
 * @param score        what discovery shows and bids' {@code minReliability} compares against
 * @param uptime       the smoothed share of the window the server was online
 * @param leaseSuccess the smoothed share of its leases in the window that ENDED rather than FAILED
 *                     through the server's fault
 * @param failedLeases leases in the window that failed through the server's fault (not those failed by the
 *                     catalogue image their bid named)
 */
public record Reliability(double score, double uptime, double leaseSuccess, long endedLeases, long failedLeases) {
}
