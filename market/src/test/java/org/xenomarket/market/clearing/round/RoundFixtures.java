package org.xenomarket.market.clearing.round;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/** Small builders for round tests. */
final class RoundFixtures {

    static final Instant START = Instant.parse("2026-12-01T03:00:00Z");

    private RoundFixtures() {
    }

    /**
     * A server with a simple congestion price, for tests that need to see prices move: per vCPU-hour,
     * {@code baseMicros} times (1 + the vCPU utilisation including the bid), in whole percent.
     */
    static RoundServer server(String name, double lat, double lon, int vcpus, long baseMicros) {
        ServerPricing linear = (bid, reserved) -> {
            long utilisationPercent = (reserved.vcpus() + bid.demand().vcpus()) * 100L / vcpus;
            return bid.demand().vcpus() * baseMicros * (100 + utilisationPercent) / 100;
        };
        return new RoundServer(UUID.nameUUIDFromBytes(name.getBytes()), "eu-west", lat, lon,
                new ResourceVector(vcpus, vcpus * 4_096L, vcpus * 100L), ResourceVector.ZERO, linear);
    }

    static RoundBid bid(int order, double lat, double lon, double km, int vcpus, int hours, long maxMicros,
                        ServiceClass serviceClass) {
        QuoteRequest request = new QuoteRequest(new ResourceVector(vcpus, vcpus * 2_048L, vcpus * 10L), 0,
                serviceClass, START, Duration.ofHours(hours), null);
        return new RoundBid(new UUID(0, order), request, lat, lon, km, maxMicros, START.minusSeconds(1_000 - order));
    }
}
