package org.xenomarket.market.bid.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.clearing.rest.PlacementJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.pricing.ServiceClass;

/** A bid: these resources, near this place, for this long, at no more than this per hour. */
public record CreateBidRequest(
        @NotNull @Valid ResourcesJson resources,
        @NotNull @Valid PlacementJson placement,
        ServiceClass serviceClass,
        Instant start,
        @NotNull @Min(1) @Max(8784) Integer durationHours,
        @NotNull MoneyJson maxPricePerHour,
        @DecimalMin("0") @DecimalMax("1") Double minReliability,
        String image) {
}
