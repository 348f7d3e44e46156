package org.xenomarket.market.reliability;

import java.util.UUID;

/**
 * What a server did within the trailing window: how long it was watched (since it was listed,
 * at most the window), how much of that it was offline, and how its leases ended there:
 * {@code failedLeases} counts the failures that were the server's (cause HOST), not those of a sponsor's
 * catalogue image.
 */
public record TrackRecord(UUID serverId, UUID providerId, double observedSeconds, double offlineSeconds,
                          long endedLeases, long failedLeases) {
}
