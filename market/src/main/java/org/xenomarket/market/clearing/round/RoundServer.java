package org.xenomarket.market.clearing.round;

import java.util.Objects;
import java.util.UUID;
import org.xenomarket.pricing.ResourceVector;

/**
 * A server as a round sees it: where it is, its capacity, what is already reserved on it over the
 * round's window (so {@code capacity - reserved} is free for the round), how it prices, and its
 * reliability score in [0, 1] (null when it has none: then no bid with a minimum reliability takes it).
 */
public record RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                          ResourceVector reserved, ServerPricing pricing, Double reliability) {

    /** A server without a reliability score: only bids without a minimum reliability take it. */
    public RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                       ResourceVector reserved, ServerPricing pricing) {
        this(id, region, latitude, longitude, capacity, reserved, pricing, null);
    }

    /** The score a bid's minimum is compared with: minus infinity without a score, so any minimum excludes it. */
    double comparableReliability() {
        return reliability == null ? Double.NEGATIVE_INFINITY : reliability;
    }

    public RoundServer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(pricing, "pricing");
    }
}
