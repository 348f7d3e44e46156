package org.xenomarket.market.clearing.round;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * An open bid as a round sees it: what it needs ({@link QuoteRequest}: resources, class, start,
 * duration, sponsor), where (within {@code withinKm} of a point), its maximum price per hour in
 * micro-units, and when it was placed (older bids win ties).
 */
public record RoundBid(UUID id, QuoteRequest request, double latitude, double longitude, double withinKm,
                       long maxPricePerHourMicros, Instant placedAt) {

    public RoundBid {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(placedAt, "placedAt");
        if (maxPricePerHourMicros <= 0) {
            throw new IllegalArgumentException("max price must be positive: " + maxPricePerHourMicros);
        }
    }

    public ResourceVector demand() {
        return request.resources();
    }

    public ServiceClass serviceClass() {
        return request.serviceClass();
    }

    /** Whole hours the bid wants (rounded up). */
    public long durationHours() {
        return (request.duration().getSeconds() + 3_599) / 3_600;
    }

    /**
     * The bid's value, what the round ranks by and the welfare it counts: the most the sponsor offers
     * for the whole lease, max price per hour x hours, in micro-units.
     */
    public long value() {
        return Math.multiplyExact(maxPricePerHourMicros, durationHours());
    }
}
