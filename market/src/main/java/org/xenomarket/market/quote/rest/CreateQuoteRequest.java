package org.xenomarket.market.quote.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.market.placement.rest.PlacementJson;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ServiceClass;

/**
 * Ask for a price: on one server ({@code serverId}) or the cheapest near a point ({@code near}).
 * {@code expectedEgressGb} is egress to clients of no known place; {@code clientPlaces} (at most 32)
 * add egress to known places, priced by the distance class from the server's site to each;
 * {@code accelerators} asks for devices of one GPU model, priced per device-hour by the policy's catalogue.
 */
public record CreateQuoteRequest(
        UUID serverId,
        @Valid PlacementJson near,
        @NotNull @Valid ResourcesJson resources,
        ServiceClass serviceClass,
        Instant start,
        @NotNull @Min(1) @Max(8784) Integer durationHours,
        @Min(0) @Max(MAX_EXPECTED_EGRESS_GB) Long expectedEgressGb,
        @Size(max = QuoteRequest.MAX_CLIENT_PLACES) List<@NotNull @Valid ClientPlaceJson> clientPlaces,
        @Valid AcceleratorsJson.Wanted accelerators) {

    /** A request asking for no accelerators. */
    public CreateQuoteRequest(UUID serverId, PlacementJson near, ResourcesJson resources, ServiceClass serviceClass,
                              Instant start, Integer durationHours, Long expectedEgressGb,
                              List<ClientPlaceJson> clientPlaces) {
        this(serverId, near, resources, serviceClass, start, durationHours, expectedEgressGb, clientPlaces, null);
    }

    /**
     * An exabyte: more than any lease sends, and small enough that its charge fits the numeric
     * columns quotes are stored in (a larger value overflowed them and answered 500).
     */
    public static final long MAX_EXPECTED_EGRESS_GB = 1_000_000_000L;
}
