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
 * micro-units, when it was placed (older bids win ties), and the least reliability score a server
 * must have to be in its reach (null: any server, scored or not), and the catalogue image its guest
 * boots (null: none; at equal price a server whose site's cache holds it is preferred).
 */
public record RoundBid(UUID id, QuoteRequest request, double latitude, double longitude, double withinKm,
                       long maxPricePerHourMicros, Instant placedAt, Double minReliability, UUID imageId) {

    /** A bid that names no catalogue image. */
    public RoundBid(UUID id, QuoteRequest request, double latitude, double longitude, double withinKm,
                    long maxPricePerHourMicros, Instant placedAt, Double minReliability) {
        this(id, request, latitude, longitude, withinKm, maxPricePerHourMicros, placedAt, minReliability, null);
    }

    /** A bid that takes any server, whatever its reliability. */
    public RoundBid(UUID id, QuoteRequest request, double latitude, double longitude, double withinKm,
                    long maxPricePerHourMicros, Instant placedAt) {
        this(id, request, latitude, longitude, withinKm, maxPricePerHourMicros, placedAt, null);
    }

    /** The minimum as a number servers' scores are compared with: minus infinity when any server will do. */
    double comparableMinReliability() {
        return minReliability == null ? Double.NEGATIVE_INFINITY : minReliability;
    }

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
