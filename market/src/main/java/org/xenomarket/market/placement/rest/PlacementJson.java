package org.xenomarket.market.placement.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import org.xenomarket.market.placement.Placement;

/** "Near this point, within this many km", as requests spell it. */
public record PlacementJson(
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("20040") Double withinKm) {

    public Placement toPlacement() {
        return new Placement(latitude, longitude, withinKm);
    }
}
