package org.xenomarket.market;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Points on the globe, so that each test searches around a place no other test's servers stand
 * at, in a database shared by all tests (and kept between runs on a developer's machine).
 */
public record Places(double latitude, double longitude) {

    private static final double EARTH_RADIUS_KM = 6371.0;
    /** Cells of about this size tile the band between 60° S and 60° N; each point gets its own. */
    private static final double CELL_KM = 500;
    /** How far a point may stray from its cell's centre: points of two cells stay over 250 km apart. */
    private static final double JITTER_KM = 100;
    private static final List<Places> CELLS = shuffledCells();
    private static final AtomicInteger NEXT_CELL = new AtomicInteger();

    /**
     * A point in a cell no earlier call of this test run was given (about 1,700 cells, far more
     * than the run's calls), jittered within it so runs kept in one database do not repeat
     * points. Uniform random points collided: another test's site once stood within a search's
     * radius (CI of stop 31, MarketFlowTest).
     */
    public static Places somewhere() {
        Places centre = CELLS.get(Math.floorMod(NEXT_CELL.getAndIncrement(), CELLS.size()));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double latitude = centre.latitude() + degreesOfLatitude(random.nextDouble(-JITTER_KM, JITTER_KM));
        Places jittered = new Places(latitude, centre.longitude());
        return jittered.east(random.nextDouble(-JITTER_KM, JITTER_KM));
    }

    /**
     * A point with no site within {@code km} of it, for tests that expect to find exactly their
     * own servers in a radius wider than the cells keep apart.
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

    /** A point about {@code km} east of this one (on a sphere of radius 6371 km); west when negative. */
    public Places east(double km) {
        double degrees = Math.toDegrees(km / (EARTH_RADIUS_KM * Math.cos(Math.toRadians(latitude))));
        // Across the antimeridian the longitude wraps (179.9 + 0.3 is -179.8): the API refuses beyond 180.
        double east = longitude + degrees;
        return new Places(latitude, east > 180 ? east - 360 : east < -180 ? east + 360 : east);
    }

    private static double degreesOfLatitude(double km) {
        return Math.toDegrees(km / EARTH_RADIUS_KM);
    }

    private static List<Places> shuffledCells() {
        List<Places> cells = new ArrayList<>();
        double latitudeStep = degreesOfLatitude(CELL_KM);
        for (double latitude = -60 + latitudeStep / 2; latitude + latitudeStep / 2 <= 60; latitude += latitudeStep) {
            double longitudeStep = Math.toDegrees(CELL_KM / (EARTH_RADIUS_KM * Math.cos(Math.toRadians(latitude))));
            int count = (int) Math.floor(358 / longitudeStep);
            for (int i = 0; i < count; i++) {
                cells.add(new Places(latitude, -179 + longitudeStep * (i + 0.5)));
            }
        }
        Collections.shuffle(cells, new Random(ThreadLocalRandom.current().nextLong()));
        return cells;
    }
}
