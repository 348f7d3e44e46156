package org.xenomarket.market.reliability;

import java.util.UUID;

/**
 * What a server did within the trailing window: how long it was watched (since it was listed,
 * at most the window), how much of that it was offline, and how its leases ended there.
 */
public record TrackRecord(UUID serverId, UUID providerId, double observedSeconds, double offlineSeconds,
                          long endedLeases, long failedLeases) {
}
