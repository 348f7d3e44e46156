package org.xenomarket.market.bid.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.Problem;

/**
 * Where a bid wants its guest, as requests spell it: near a point ({@code latitude},
 * {@code longitude}, {@code withinKm}) or in {@code regions} (region codes), exactly one of the two.
 */
public record BidPlacementJson(
        @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("20040") Double withinKm,
        @Size(min = 1, max = 32) List<@Size(max = 32) String> regions) {

    private static final Pattern REGION_CODE = Pattern.compile("[a-z0-9-]{2,32}");

    /** The placement, or 400 naming the field at fault when it is neither or both kinds. */
    public Placement toPlacement() {
        boolean anyPoint = latitude != null || longitude != null || withinKm != null;
        if (regions != null && anyPoint) {
            throw new InvalidInput("placement", "give either latitude, longitude and withinKm, or regions; not both");
        }
        if (regions != null) {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (int i = 0; i < regions.size(); i++) {
                String code = regions.get(i);
                if (code == null || !REGION_CODE.matcher(code).matches()) {
                    errors.add(new Problem.FieldError("placement.regions[" + i + "]", "is not a region code"));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInput(errors);
            }
            return Placement.inRegions(regions.stream().distinct().toList());
        }
        List<Problem.FieldError> missing = new ArrayList<>();
        if (latitude == null) {
            missing.add(new Problem.FieldError("placement.latitude", "is required unless regions are given"));
        }
        if (longitude == null) {
            missing.add(new Problem.FieldError("placement.longitude", "is required unless regions are given"));
        }
        if (withinKm == null) {
            missing.add(new Problem.FieldError("placement.withinKm", "is required unless regions are given"));
        }
        if (!missing.isEmpty()) {
            throw new InvalidInput(missing);
        }
        return new Placement(latitude, longitude, withinKm);
    }

    public static BidPlacementJson of(Placement placement) {
        return new BidPlacementJson(placement.latitude(), placement.longitude(), placement.withinKm(),
                placement.regions());
    }
}
