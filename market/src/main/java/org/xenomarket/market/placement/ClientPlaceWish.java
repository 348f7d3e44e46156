package org.xenomarket.market.placement;

/**
 * A client place as a sponsor gives it, before the market resolves it: a point ({@code lat}, {@code lon})
 * or a region code (its clients are spread over the region: the place is the centre of the region's
 * sites), with the GB expected to it. {@code index} is its position in the request, for naming a field.
 */
public record ClientPlaceWish(int index, Double lat, Double lon, String region, long egressGb) {

    public boolean byRegion() {
        return region != null;
    }

    /** The request field of this place's {@code part}, e.g. {@code clientPlaces[2].region}. */
    public String field(String part) {
        return "clientPlaces[" + index + "]." + part;
    }
}
