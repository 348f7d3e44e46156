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

    /**
     * A random point with no site within {@code km} of it, for tests that expect to find exactly
     * their own servers in a wide radius. A random point alone once had another test's site within
     * 200 km (CI of stop 31, MarketFlowTest).
     */
    public static Places vacant(Sql sql, double km) {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            Places candidate = somewhere();
            if (sql.number("SELECT count(*) FROM site WHERE km_between(?, ?, latitude, longitude) <= ?",
                    candidate.latitude(), candidate.longitude(), km) == 0) {
                return candidate;
            }
        }
        throw new IllegalStateException("no point without a site within " + km + " km after 1,000 tries");
    }

    /** A point about {@code km} east of this one (on a sphere of radius 6371 km). */
    public Places east(double km) {
        double degrees = Math.toDegrees(km / (6371.0 * Math.cos(Math.toRadians(latitude))));
        // Across the antimeridian the longitude wraps (179.9 + 0.3 is -179.8): the API refuses beyond 180.
        double east = longitude + degrees;
        return new Places(latitude, east > 180 ? east - 360 : east);
    }
}
