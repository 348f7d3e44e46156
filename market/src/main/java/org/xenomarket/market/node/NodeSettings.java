package org.xenomarket.market.node;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How often node agents heartbeat, and how long the market waits before it declares a server offline. */
@ConfigMapping(prefix = "xenomarket.node")
public interface NodeSettings {

    /** The interval the market asks agents to heartbeat at. */
    @WithDefault("PT15S")
    Duration heartbeatInterval();

    /** A server whose last heartbeat is older than this goes OFFLINE and its leases fail. */
    @WithDefault("PT90S")
    Duration heartbeatTimeout();

    /**
     * After the market starts, how long before silence counts against a server: nodes could not
     * reach a market that was down. By default the heartbeat timeout.
     */
    Optional<Duration> startGrace();

    /** CPU quota of best-effort guests, in percent of each vCPU (see {@code GuestLimits}). */
    @WithDefault("50")
    int bestEffortCpuQuotaPercent();

    /** How often the offline sweep runs, in the scheduler's syntax ("15s"); read by {@code OfflineSweep}'s schedule. */
    @WithDefault("15s")
    String sweepInterval();
}
