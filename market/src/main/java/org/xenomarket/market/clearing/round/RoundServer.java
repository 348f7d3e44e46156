package org.xenomarket.market.clearing.round;

import java.util.Objects;
import java.util.UUID;
import org.xenomarket.pricing.ResourceVector;

/**
 * A server as a round sees it: where it is, its capacity, what is already reserved on it over the
 * round's window (so {@code capacity - reserved} is free for the round), and how it prices.
 */
public record RoundServer(UUID id, String region, double latitude, double longitude, ResourceVector capacity,
                          ResourceVector reserved, ServerPricing pricing) {

    public RoundServer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(pricing, "pricing");
    }
}
