package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ResourceVector;

/**
 * The grid finds exactly the servers a haversine search finds, near the poles and the date line too, in
 * the walk's order.
 */
class ServerGridTest {

    @Test
    void theGridFindsExactlyTheServersWithinReach() {
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom random = new SplittableRandom(0x4752_4944_0000_0000L + seed);
            List<RoundServer> servers = new ArrayList<>();
            int count = 1 + random.nextInt(300);
            for (int i = 0; i < count; i++) {
                // a third of the servers crowd near a pole or the date line, where cells are odd
                double lat = switch (i % 3) {
                    case 0 -> random.nextDouble(-90, 90);
                    case 1 -> random.nextBoolean() ? random.nextDouble(85, 90) : random.nextDouble(-90, -85);
                    default -> random.nextDouble(-60, 60);
                };
                double lon = i % 3 == 2 ? (random.nextBoolean() ? random.nextDouble(175, 180)
                        : random.nextDouble(-180, -175)) : random.nextDouble(-180, 180);
                servers.add(new RoundServer(UUID.randomUUID(), "r", lat, lon, new ResourceVector(1, 1, 1),
                        ResourceVector.ZERO, (b, r) -> 0));
            }
            ServerGrid.Cursor cursor = new ServerGrid(servers).cursor();
            for (int q = 0; q < 20; q++) {
                double lat = q % 2 == 0 ? random.nextDouble(-90, 90) : random.nextDouble(80, 90);
                double lon = q % 4 == 1 ? 179.9 : random.nextDouble(-180, 180);
                double km = random.nextInt(4) == 0 ? random.nextDouble(0, 21_000) : random.nextDouble(0, 2_000);
                Set<Integer> found = new HashSet<>();
                cursor.start(lat, lon, km);
                int previous = -1;
                int wraps = 0;
                for (int s = cursor.next(); s >= 0; s = cursor.next()) {
                    assertTrue(found.add(s), "seed " + seed + ": server " + s + " returned twice");
                    // the walk's order, which ties between servers break by: row by row, cell by cell
                    // eastwards (wrapping at most once per row at the date line), a cell's servers in order
                    if (previous >= 0) {
                        int rowBefore = row(servers.get(previous));
                        int row = row(servers.get(s));
                        assertTrue(rowBefore <= row, "seed " + seed + ": rows out of order");
                        wraps = row == rowBefore ? wraps : 0;
                        int columnBefore = column(servers.get(previous));
                        int column = column(servers.get(s));
                        if (row == rowBefore && column == columnBefore) {
                            assertTrue(previous < s, "seed " + seed + ": a cell's servers out of order");
                        } else if (row == rowBefore && column < columnBefore) {
                            assertTrue(++wraps <= 1, "seed " + seed + ": a row's cells out of order");
                        }
                    }
                    previous = s;
                }
                for (int s = 0; s < servers.size(); s++) {
                    double d = haversineKm(lat, lon, servers.get(s).latitude(), servers.get(s).longitude());
                    // within a metre of the boundary either answer is right
                    if (Math.abs(d - km) > 1e-3) {
                        assertEquals(d <= km, found.contains(s), "seed " + seed + " query " + q + ": server " + s
                                + " at " + d + " km, reach " + km + " km");
                    }
                }
            }
        }
    }

    /** The one-degree cell row and column of a server, as the grid files it. */
    private static int row(RoundServer s) {
        return Math.min(179, Math.max(0, (int) Math.floor(s.latitude() + 90)));
    }

    private static int column(RoundServer s) {
        return Math.min(359, (int) Math.floor(((s.longitude() + 180) % 360 + 360) % 360));
    }

    private static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dp = Math.toRadians(lat2 - lat1);
        double dl = Math.toRadians(lon2 - lon1);
        double h = Math.pow(Math.sin(dp / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dl / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
