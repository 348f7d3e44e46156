package org.xenomarket.portal.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** TopoJSON to an SVG path: delta-decoded arcs, reversed arcs, and no line drawn across the antimeridian. */
class WorldMapTest {

    private static String path(String topology) throws Exception {
        return WorldMap.path(new ObjectMapper().readTree(topology));
    }

    @Test
    void aRingJoinsItsArcsDecodingDeltasAndReversingNegativeIndexes() throws Exception {
        // Arc 0 runs (0,0)->(10,0)->(10,10) in degrees; ~0 = arc 0 backwards is not used, ~1 is arc 1 backwards.
        String d = path("""
                {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                 "arcs": [[[0, 0], [10, 0], [0, 10]], [[0, 0], [0, 10], [10, 0]]],
                 "objects": {"land": {"type": "GeometryCollection", "geometries": [
                   {"type": "Polygon", "arcs": [[0, -2]]}]}}}""");
        // Arc 1 is (0,0)->(0,10)->(10,10); reversed it goes (10,10)->(0,10)->(0,0), its first point shared.
        assertEquals("M360.0,180.0L380.0,180.0L380.0,160.0L360.0,160.0L360.0,180.0Z", d);
    }

    @Test
    void aRingCrossingTheAntimeridianMovesInsteadOfDrawingAcrossThePlot() throws Exception {
        String d = path("""
                {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                 "arcs": [[[179, 60], [-358, 0], [0, 5]]],
                 "objects": {"land": {"type": "GeometryCollection", "geometries": [
                   {"type": "MultiPolygon", "arcs": [[[0]]]}]}}}""");
        assertEquals("M718.0,60.0M2.0,60.0L2.0,50.0Z", d);
    }

    @Test
    void theBundledLandOutlineIsDrawnAndMarkersLandWhereTheyShould() {
        assertTrue(new WorldMap().land().length() > 10_000, "Natural Earth's land at 1:110m");
        WorldMap.Marker cambridge = WorldMap.marker(52.2, 0.12, "Cambridge");
        assertEquals(360.2, cambridge.x());
        assertEquals(75.6, cambridge.y());
    }
}
