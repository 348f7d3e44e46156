package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sponsor's question: what would these resources cost on a server, for this class and time.
 *
 * <p>{@code expectedEgressGb} is egress to clients of no known place, priced at the egress unit price;
 * {@code clientPlaces} (at most {@link #MAX_CLIENT_PLACES}) add egress to known places, each priced by
 * the distance class between the server's site and the place when the policy has distance classes.
 * {@code sponsorSpend} is what the sponsor spent lately with each provider (by provider id, policy currency,
 * each over that provider's loyalty window): a provider's loyalty tiers price by it; absent is nothing spent.
 * {@code accelerators} (null: none) asks for whole devices of one catalogue model, priced per device-hour.
 */
public record QuoteRequest(
        ResourceVector resources,
        long expectedEgressGb,
        ServiceClass serviceClass,
        Instant start,
        Duration duration,
        String sponsorId,
        List<ClientPlace> clientPlaces,
        Map<String, BigDecimal> sponsorSpend,
        AcceleratorDemand accelerators) {

    /** More places than this is a client list, not a placement hint; the market refuses it too. */
    public static final int MAX_CLIENT_PLACES = 32;

    /** A request with no client places: all its egress is priced at the egress unit price. */
    public QuoteRequest(ResourceVector resources, long expectedEgressGb, ServiceClass serviceClass, Instant start,
                        Duration duration, String sponsorId) {
        this(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, List.of(), Map.of(), null);
    }

    /** A request with client places, no known spend of its sponsor with any provider and no accelerators. */
    public QuoteRequest(ResourceVector resources, long expectedEgressGb, ServiceClass serviceClass, Instant start,
                        Duration duration, String sponsorId, List<ClientPlace> clientPlaces) {
        this(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, clientPlaces, Map.of(), null);
    }

    /** A request with the sponsor's recent spend with each provider and no accelerators. */
    public QuoteRequest(ResourceVector resources, long expectedEgressGb, ServiceClass serviceClass, Instant start,
                        Duration duration, String sponsorId, List<ClientPlace> clientPlaces,
                        Map<String, BigDecimal> sponsorSpend) {
        this(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, clientPlaces, sponsorSpend, null);
    }

    /** A request asking for accelerators, with no known spend of its sponsor. */
    public QuoteRequest(ResourceVector resources, long expectedEgressGb, ServiceClass serviceClass, Instant start,
                        Duration duration, String sponsorId, List<ClientPlace> clientPlaces,
                        AcceleratorDemand accelerators) {
        this(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, clientPlaces, Map.of(),
                accelerators);
    }

    public QuoteRequest {
        sponsorSpend = sponsorSpend == null ? Map.of() : Map.copyOf(sponsorSpend);
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
        clientPlaces = clientPlaces == null ? List.of() : List.copyOf(clientPlaces);
        if (clientPlaces.size() > MAX_CLIENT_PLACES) {
            throw new IllegalArgumentException("at most " + MAX_CLIENT_PLACES + " client places: "
                    + clientPlaces.size());
        }
    }

    /** The same request with egress to these places as well. */
    public QuoteRequest withClientPlaces(List<ClientPlace> places) {
        return new QuoteRequest(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, places,
                sponsorSpend, accelerators);
    }

    /** The same request with the sponsor's recent spend with each provider (by provider id). */
    public QuoteRequest withSponsorSpend(Map<String, BigDecimal> spendByProvider) {
        return new QuoteRequest(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, clientPlaces,
                spendByProvider, accelerators);
    }

    /** What the sponsor spent lately with the provider; null when nothing is known. */
    public BigDecimal spendWith(String providerId) {
        return sponsorSpend.get(providerId);
    }

    /** The same request asking for these accelerators as well (null: none). */
    public QuoteRequest withAccelerators(AcceleratorDemand demand) {
        return new QuoteRequest(resources, expectedEgressGb, serviceClass, start, duration, sponsorId, clientPlaces,
                sponsorSpend, demand);
    }
}
