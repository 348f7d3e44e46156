package org.xenomarket.pricing;

/**
 * A point on the globe in degrees (WGS 84). Coordinates are positions, not money, so doubles are
 * fine here; what they decide is only which distance class a client place falls in.
 */
public record GeoPoint(double lat, double lon) {

    /** Mean Earth radius, the one the market's nearby search uses too. */
    static final double EARTH_RADIUS_KM = 6_371.0;

    public GeoPoint {
        if (!(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("lat must be between -90 and 90: " + lat);
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("lon must be between -180 and 180: " + lon);
        }
    }

    /** Great-circle distance in km (haversine). */
    public double distanceKm(GeoPoint other) {
        double dLat = Math.toRadians(other.lat - lat);
        double dLon = Math.toRadians(other.lon - lon);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat))
                * Math.cos(Math.toRadians(other.lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
