package org.xenomarket.market.placement;

import java.util.List;

/**
 * Where a sponsor wants its guest: within {@code withinKm} of a point, or at any site of the
 * listed regions. Exactly one of the two: the point's fields are null for a regions placement,
 * and {@code regions} is null for a point.
 */
public record Placement(Double latitude, Double longitude, Double withinKm, List<String> regions) {

    public Placement(double latitude, double longitude, double withinKm) {
        this(Double.valueOf(latitude), Double.valueOf(longitude), Double.valueOf(withinKm), null);
    }

    public static Placement inRegions(List<String> regions) {
        return new Placement(null, null, null, List.copyOf(regions));
    }

    public boolean nearPoint() {
        return regions == null;
    }

    /** The placement in words, for reasons shown to sponsors: "within 50.0 km" or "in regions eu-west". */
    public String describe() {
        return nearPoint() ? "within " + withinKm + " km" : "in region" + (regions.size() == 1 ? " " : "s ")
                + String.join(", ", regions);
    }
}
