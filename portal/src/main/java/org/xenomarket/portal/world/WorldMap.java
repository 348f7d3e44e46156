package org.xenomarket.portal.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The world as an SVG path in an equirectangular projection (x from longitude, y from latitude),
 * drawn from Natural Earth's land outline at 1:110m (npm's {@code world-atlas}, TopoJSON, bundled
 * at build time): no map tiles, nothing fetched at run time. Without the file the plot keeps its
 * latitude and longitude grid and leaves the land out.
 */
@ApplicationScoped
public class WorldMap {

    public static final int WIDTH = 720;
    public static final int HEIGHT = 360;
    /** Where the plot's grid lines run: every 30 degrees of longitude and latitude. */
    public static final java.util.Map<String, List<Double>> GRID = java.util.Map.of(
            "lons", java.util.stream.IntStream.rangeClosed(-5, 5).mapToObj(i -> x(i * 30)).toList(),
            "lats", java.util.stream.IntStream.rangeClosed(-2, 2).mapToObj(i -> y(i * 30)).toList());
    private static final Logger LOG = Logger.getLogger(WorldMap.class);

    /** A point on the plot with what it stands for. */
    @TemplateData
    public record Marker(double x, double y, String label) {
    }

    private final String land;

    public WorldMap() {
        this.land = loadLand();
    }

    /** The SVG path data of the land. */
    public String land() {
        return land;
    }

    public static Marker marker(double latitude, double longitude, String label) {
        return new Marker(round(x(longitude)), round(y(latitude)), label);
    }

    static double x(double longitude) {
        return (longitude + 180) * WIDTH / 360.0;
    }

    static double y(double latitude) {
        return (90 - latitude) * HEIGHT / 180.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String loadLand() {
        try (InputStream in = WorldMap.class.getResourceAsStream("/world/land-110m.json")) {
            if (in == null) {
                LOG.warn("world/land-110m.json is missing: the world plot shows only its grid");
                return "";
            }
            return path(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            LOG.warn("world/land-110m.json is unreadable: the world plot shows only its grid", e);
            return "";
        }
    }

    /** TopoJSON arcs are delta-encoded integers; a ring lists arc indexes, ~i meaning arc i reversed. */
    static String path(JsonNode topology) {
        JsonNode transform = topology.path("transform");
        double sx = transform.path("scale").path(0).asDouble(1), sy = transform.path("scale").path(1).asDouble(1);
        double tx = transform.path("translate").path(0).asDouble(0), ty = transform.path("translate").path(1).asDouble(0);
        List<double[][]> arcs = new ArrayList<>();
        for (JsonNode arc : topology.path("arcs")) {
            double[][] points = new double[arc.size()][];
            long qx = 0, qy = 0;
            for (int i = 0; i < arc.size(); i++) {
                qx += arc.get(i).get(0).asLong();
                qy += arc.get(i).get(1).asLong();
                points[i] = new double[] {x(qx * sx + tx), y(qy * sy + ty)};
            }
            arcs.add(points);
        }
        StringBuilder d = new StringBuilder();
        for (JsonNode geometry : topology.path("objects").path("land").path("geometries")) {
            JsonNode polygons = geometry.path("type").asText().equals("Polygon")
                    ? new ObjectMapper().createArrayNode().add(geometry.path("arcs")) : geometry.path("arcs");
            for (JsonNode polygon : polygons) {
                for (JsonNode ring : polygon) {
                    ring(d, ring, arcs);
                }
            }
        }
        return d.toString();
    }

    private static void ring(StringBuilder d, JsonNode ring, List<double[][]> arcs) {
        boolean first = true;
        double lastX = 0;
        for (JsonNode index : ring) {
            int i = index.asInt();
            double[][] arc = arcs.get(i < 0 ? ~i : i);
            for (int k = 0; k < arc.length; k++) {
                double[] p = arc[i < 0 ? arc.length - 1 - k : k];
                if (!first && k == 0) {
                    continue;
                }
                // A ring crossing the antimeridian (Russia, Fiji, Antarctica) jumps across the whole
                // plot: move there instead of drawing a line over the map.
                boolean jump = !first && Math.abs(p[0] - lastX) > WIDTH / 2.0;
                d.append(first || jump ? 'M' : 'L').append(round(p[0])).append(',').append(round(p[1]));
                first = false;
                lastX = p[0];
            }
        }
        d.append('Z');
    }
}
