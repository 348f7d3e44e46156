package org.xenomarket.market;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random points on the globe, so that each test searches around a place no other test's servers
 * stand at, in a database shared by all tests and kept between runs.
 */
public record Places(double latitude, double longitude) {

    public static Places somewhere() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new Places(random.nextDouble(-60, 60), random.nextDouble(-179, 179));
    }

    /** A point about {@code km} east of this one (on a sphere of radius 6371 km). */
    public Places east(double km) {
        double degrees = Math.toDegrees(km / (6371.0 * Math.cos(Math.toRadians(latitude))));
        // Across the antimeridian the longitude wraps (179.9 + 0.3 is -179.8): the API refuses beyond 180.
        double east = longitude + degrees;
        return new Places(latitude, east > 180 ? east - 360 : east);
    }
}
