package org.xenomarket.market;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The points tests search around stay apart, so one test's servers never turn up in another's search. */
class PlacesTest {

    @Test
    void pointsOfOneRunStandOverTwoHundredFiftyKilometresApartWithinTheBand() {
        List<Places> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            points.add(Places.somewhere());
        }
        for (Places point : points) {
            assertTrue(point.latitude() >= -60 && point.latitude() <= 60, point.toString());
            assertTrue(point.longitude() >= -180 && point.longitude() <= 180, point.toString());
        }
        for (int i = 0; i < points.size(); i++) {
            for (int j = i + 1; j < points.size(); j++) {
                double km = kmBetween(points.get(i), points.get(j));
                assertTrue(km > 250, points.get(i) + " and " + points.get(j) + " are " + km + " km apart");
            }
        }
    }

    private static double kmBetween(Places a, Places b) {
        double dLat = Math.toRadians(b.latitude() - a.latitude());
        double dLon = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(Math.toRadians(a.latitude()))
                * Math.cos(Math.toRadians(b.latitude())) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.sqrt(h));
    }
}
