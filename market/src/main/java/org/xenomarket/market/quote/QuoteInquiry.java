package org.xenomarket.market.quote;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.placement.StartTime;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * A sponsor asks what resources would cost: on one server ({@code serverId}) or on the cheapest
 * near a point ({@code near}); the service checks that exactly one is given. {@code start} is null
 * for "now". {@code clientPlaces} (may be empty) price egress to known places by distance; with
 * them, the cheapest near a point is the cheapest in total, egress included.
 */
public record QuoteInquiry(UUID serverId, Placement near, ResourceVector resources, ServiceClass serviceClass,
                           Instant start, int durationHours, long expectedEgressGb, List<ClientPlace> clientPlaces,
                           AcceleratorDemand accelerators) {

    public QuoteInquiry {
        clientPlaces = clientPlaces == null ? List.of() : List.copyOf(clientPlaces);
    }

    /** An inquiry asking for no accelerators. */
    public QuoteInquiry(UUID serverId, Placement near, ResourceVector resources, ServiceClass serviceClass,
                        Instant start, int durationHours, long expectedEgressGb, List<ClientPlace> clientPlaces) {
        this(serverId, near, resources, serviceClass, start, durationHours, expectedEgressGb, clientPlaces, null);
    }

    /**
     * What the pricing rules are asked to price: starting now unless given. {@code sponsorId} may
     * be null (a preview, for no sponsor in particular).
     */
    public QuoteRequest toPricingRequest(UUID sponsorId, Clock clock) {
        return new QuoteRequest(resources, expectedEgressGb, serviceClass, StartTime.resolve(start, clock),
                Duration.ofHours(durationHours), sponsorId == null ? null : sponsorId.toString(), clientPlaces,
                accelerators);
    }
}
