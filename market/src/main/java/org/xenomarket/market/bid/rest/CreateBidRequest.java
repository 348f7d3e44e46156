package org.xenomarket.market.bid.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ServiceClass;

/**
 * A bid: these resources, near this place (or in these regions), for this long, at no more than
 * this per hour. The lease may begin from {@code start} (default now) up to {@code latestStart}
 * (default: exactly at start); an open bid expires at {@code expiresAt}. {@code clientPlaces} (at most
 * 32) say where the lease's clients are: its quote prices egress to them by distance class.
 * {@code accelerators} asks for devices of one GPU model; the lease then holds that many of the server's.
 */
public record CreateBidRequest(
        @NotNull @Valid ResourcesJson resources,
        @NotNull @Valid BidPlacementJson placement,
        ServiceClass serviceClass,
        Instant start,
        @NotNull @Min(1) @Max(8784) Integer durationHours,
        @NotNull @Valid MoneyJson maxPricePerHour,
        Instant latestStart,
        Instant expiresAt,
        @DecimalMin("0") @DecimalMax("1") Double minReliability,
        @Size(max = 71) String image,
        @Size(max = QuoteRequest.MAX_CLIENT_PLACES) List<@NotNull @Valid ClientPlaceJson> clientPlaces,
        @Valid AcceleratorsJson.Wanted accelerators) {

    /** A bid asking for no accelerators. */
    public CreateBidRequest(ResourcesJson resources, BidPlacementJson placement, ServiceClass serviceClass,
                            Instant start, Integer durationHours, MoneyJson maxPricePerHour, Instant latestStart,
                            Instant expiresAt, Double minReliability, String image, List<ClientPlaceJson> clientPlaces) {
        this(resources, placement, serviceClass, start, durationHours, maxPricePerHour, latestStart, expiresAt,
                minReliability, image, clientPlaces, null);
    }
}
