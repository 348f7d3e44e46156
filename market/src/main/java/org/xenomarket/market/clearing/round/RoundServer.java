package org.xenomarket.market.clearing.round;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.pricing.ResourceVector;

/**
 * A server as a round sees it: where it is, its capacity, what is already reserved on it over the
 * round's window (so {@code capacity - reserved} is free for the round), how it prices, and its
 * reliability score in [0, 1] (null when it has none: then no bid with a minimum reliability takes it),
 * and the catalogue images its site's cache holds (at equal price a bid for one of them prefers it).
 */
public record RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                          ResourceVector reserved, ServerPricing pricing, Double reliability,
                          Set<UUID> cachedImages) {

    /** A server whose site's cache holds none of the round's images. */
    public RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                       ResourceVector reserved, ServerPricing pricing, Double reliability) {
        this(id, region, latitude, longitude, capacity, reserved, pricing, reliability, Set.of());
    }

    /** A server without a reliability score: only bids without a minimum reliability take it. */
    public RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                       ResourceVector reserved, ServerPricing pricing) {
        this(id, region, latitude, longitude, capacity, reserved, pricing, null);
    }

    /** The score a bid's minimum is compared with: minus infinity without a score, so any minimum excludes it. */
    double comparableReliability() {
        return reliability == null ? Double.NEGATIVE_INFINITY : reliability;
    }

    /** Whether the bid names an image this server's site already holds: its lease starts from a warm cache. */
    public boolean holdsImageOf(RoundBid bid) {
        return bid.imageId() != null && cachedImages.contains(bid.imageId());
    }

    public RoundServer {
        Objects.requireNonNull(cachedImages, "cachedImages");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(pricing, "pricing");
    }
}
