package org.xenomarket.market.placement.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.xenomarket.market.placement.ClientPlaceWish;
import java.util.List;
import org.xenomarket.pricing.ClientPlace;

/**
 * Where some of a lease's clients are and the GB expected to them, as requests spell it: the input of
 * long-haul egress pricing. A place is a point ({@code lat}, {@code lon}) or a region code ({@code region},
 * resolved to the centre of the region's sites). A point off the globe is refused naming it, e.g.
 * {@code clientPlaces[2].lat}; an unknown region as {@code clientPlaces[2].region}.
 */
public record ClientPlaceJson(
        @DecimalMin("-90") @DecimalMax("90") Double lat,
        @DecimalMin("-180") @DecimalMax("180") Double lon,
        @Schema(description = "a region code instead of a point: the centre of the region's sites", example = "eu-west")
        @Size(max = 32) String region,
        @NotNull @Min(0) @Max(MAX_EGRESS_GB) Long egressGb) {

    /** As a quote's expected egress: an exabyte, more than any lease sends. */
    public static final long MAX_EGRESS_GB = 1_000_000_000L;

    /** The places as given, points or regions, for {@code site.service.RegionCentres} to resolve. */
    public static List<ClientPlaceWish> toWishes(List<ClientPlaceJson> places) {
        if (places == null) {
            return List.of();
        }
        List<ClientPlaceWish> out = new ArrayList<>(places.size());
        for (int i = 0; i < places.size(); i++) {
            ClientPlaceJson p = places.get(i);
            out.add(new ClientPlaceWish(i, p.lat(), p.lon(), p.region(), p.egressGb()));
        }
        return out;
    }

    public static ClientPlaceJson of(ClientPlace place) {
        return new ClientPlaceJson(place.at().lat(), place.at().lon(), null, place.egressGb());
    }
}
