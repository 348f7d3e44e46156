package org.xenomarket.pricing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A sponsor's question: what would these resources cost on a server, for this class and time. */
public record QuoteRequest(
        ResourceVector resources,
        long expectedEgressGb,
        ServiceClass serviceClass,
        Instant start,
        Duration duration,
        String sponsorId) {

    public QuoteRequest {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(serviceClass, "serviceClass");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (expectedEgressGb < 0) {
            throw new IllegalArgumentException("expectedEgressGb must not be negative: " + expectedEgressGb);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (duration.getNano() != 0) {
            throw new IllegalArgumentException("duration must be whole seconds: " + duration);
        }
    }
}
