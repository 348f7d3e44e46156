package org.xenomarket.portal.sponsor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;
import org.xenomarket.portal.world.WorldMap;

/** Sponsors find servers near a place: a table with distance, price and reliability, and the sites on a world plot. */
@Path("/sponsor/servers")
@Produces(MediaType.TEXT_HTML)
public class NearbyPage {

    /** The market's names for the search's fields, and the form's. */
    static final Map<String, String> FIELDS = Map.of("lat", "lat", "lon", "lon", "latitude", "lat",
            "longitude", "lon", "withinKm", "withinKm", "vcpus", "vcpus", "memoryMib", "memoryMib", "diskGib", "diskGib");

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final WorldMap world;
    private final Template nearby;

    public NearbyPage(@RestClient MarketApi market, CurrentSession current, Pages pages, WorldMap world,
                      @Location("sponsor/nearby.html") Template nearby) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.world = world;
        this.nearby = nearby;
    }

    @GET
    public Response search(@Context UriInfo uri) {
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> query.put(k, v.get(0)));
        boolean searched = query.containsKey("lat");
        Form form = Form.of(searched ? query : Map.of("lat", "52.2", "lon", "0.12", "withinKm", "800", "vcpus", "2",
                "memoryMib", "4096", "diskGib", "20", "sort", "distance"));
        List<Map<String, Object>> servers = List.of();
        if (searched) {
            BigDecimal lat = form.decimal("lat", "Latitude", BigDecimal.valueOf(-90), BigDecimal.valueOf(90));
            BigDecimal lon = form.decimal("lon", "Longitude", BigDecimal.valueOf(-180), BigDecimal.valueOf(180));
            form.whole("withinKm", "Radius", 1, 20_038, null);
            form.whole("vcpus", "vCPUs", 1, 1024, 1L);
            form.whole("memoryMib", "Memory", 1, 16_777_216, 1024L);
            form.whole("diskGib", "Disk", 0, 1_048_576, 0L);
            if (form.valid()) {
                try {
                    servers = market.nearby(current.bearer(), lat.toPlainString(), lon.toPlainString(),
                            form.value("withinKm"), orNull(form.value("vcpus")), orNull(form.value("memoryMib")),
                            orNull(form.value("diskGib")), orNull(form.value("sort")));
                } catch (MarketProblem problem) {
                    if (problem.status() != 400) {
                        throw problem;
                    }
                    form.absorb(problem, FIELDS);
                }
            }
        }
        List<WorldMap.Marker> sites = new ArrayList<>();
        for (Map<String, Object> server : servers) {
            @SuppressWarnings("unchecked")
            Map<String, Object> site = (Map<String, Object>) server.get("site");
            sites.add(WorldMap.marker(((Number) site.get("latitude")).doubleValue(),
                    ((Number) site.get("longitude")).doubleValue(), server.get("name") + ", " + site.get("city")));
        }
        WorldMap.Marker here = form.valid() && searched ? WorldMap.marker(Double.parseDouble(form.value("lat")),
                Double.parseDouble(form.value("lon")), "the place searched") : null;
        TemplateInstance page = pages.of(nearby, "Find servers").data("form", form).data("searched", searched)
                .data("servers", servers).data("land", world.land()).data("sites", sites).data("here", here)
                .data("grid", WorldMap.GRID).data("width", WorldMap.WIDTH).data("height", WorldMap.HEIGHT);
        return Response.status(form.valid() ? 200 : 400).entity(page).build();
    }

    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
