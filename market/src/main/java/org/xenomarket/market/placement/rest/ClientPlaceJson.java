package org.xenomarket.market.placement.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.xenomarket.pricing.ClientPlace;

/**
 * Where some of a lease's clients are and the GB expected to them, as requests spell it: the input of
 * long-haul egress pricing. A point off the globe is refused naming it, e.g. {@code clientPlaces[2].lat}.
 */
public record ClientPlaceJson(
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double lon,
        @NotNull @Min(0) @Max(MAX_EGRESS_GB) Long egressGb) {

    /** As a quote's expected egress: an exabyte, more than any lease sends. */
    public static final long MAX_EGRESS_GB = 1_000_000_000L;

    public ClientPlace toClientPlace() {
        return ClientPlace.of(lat, lon, egressGb);
    }

    public static List<ClientPlace> toClientPlaces(List<ClientPlaceJson> places) {
        return places == null ? List.of() : places.stream().map(ClientPlaceJson::toClientPlace).toList();
    }

    public static ClientPlaceJson of(ClientPlace place) {
        return new ClientPlaceJson(place.at().lat(), place.at().lon(), place.egressGb());
    }
}
