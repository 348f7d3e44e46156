package org.xenomarket.portal.sponsor;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/** A quote for one server with the rules that priced it, and the bid that follows from it. */
@Path("/sponsor")
@Produces(MediaType.TEXT_HTML)
public class QuotePage {

    static final Map<String, String> BID_FIELDS = Map.ofEntries(Map.entry("latitude", "lat"),
            Map.entry("longitude", "lon"), Map.entry("withinKm", "withinKm"), Map.entry("vcpus", "vcpus"),
            Map.entry("memoryMib", "memoryMib"), Map.entry("diskGib", "diskGib"),
            Map.entry("durationHours", "durationHours"), Map.entry("maxPricePerHour.amount", "maxPrice"),
            Map.entry("amount", "maxPrice"), Map.entry("maxPricePerHour", "maxPrice"),
            Map.entry("serviceClass", "serviceClass"));

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template quote;
    private final Template bid;

    public QuotePage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                     @Location("sponsor/quote.html") Template quote, @Location("sponsor/bid.html") Template bid) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.quote = quote;
        this.bid = bid;
    }

    @POST
    @Path("/quotes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response quote(MultivaluedMap<String, String> fields) {
        Form form = Form.of(single(fields)).with("durationHours", orDefault(fields.getFirst("durationHours"), "24"))
                .with("serviceClass", orDefault(fields.getFirst("serviceClass"), "RESERVED"));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("serverId", form.value("serverId"));
        request.put("resources", resources(form));
        request.put("serviceClass", form.value("serviceClass"));
        request.put("durationHours", form.whole("durationHours", "Duration", 1, 8784, null));
        Map<String, Object> priced = null;
        if (form.valid()) {
            try {
                priced = market.quote(current.bearer(), request);
                @SuppressWarnings("unchecked")
                Map<String, Object> price = (Map<String, Object>) priced.get("pricePerHour");
                form.with("maxPrice", String.valueOf(price.get("amount"))).with("currency", String.valueOf(price.get("currency")));
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 422) {
                    throw problem;
                }
                form.absorb(problem, BID_FIELDS);
            }
        }
        form.with("idempotencyKey", UUID.randomUUID().toString());
        return Response.status(priced == null ? 400 : 200)
                .entity(pages.of(quote, "Quote").data("quote", priced).data("form", form)).build();
    }

    @POST
    @Path("/bids")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response bid(MultivaluedMap<String, String> fields) {
        Form form = Form.of(single(fields));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("resources", resources(form));
        request.put("placement", Map.of("latitude", orText(form.decimal("lat", "Latitude", null, null)),
                "longitude", orText(form.decimal("lon", "Longitude", null, null)),
                "withinKm", orText(form.whole("withinKm", "Radius", 1, 20_038, null))));
        request.put("durationHours", form.whole("durationHours", "Duration", 1, 8784, null));
        request.put("serviceClass", orDefault(form.value("serviceClass"), "RESERVED"));
        request.put("maxPricePerHour", Map.of("amount", form.value("maxPrice"), "currency",
                orDefault(form.value("currency"), "EUR")));
        if (!form.has("maxPrice")) {
            form.reject("maxPrice", "Enter the most you will pay per hour.");
        }
        if (form.valid()) {
            try {
                Map<String, Object> placed = market.bid(current.bearer(), form.value("idempotencyKey"), request);
                return Response.seeOther(URI.create("/leases?bid=" + placed.get("id"))).build();
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 422 && problem.status() != 409) {
                    throw problem;
                }
                form.absorb(problem, BID_FIELDS);
            }
        }
        return Response.status(400).entity(pages.of(bid, "Bid").data("form", form)).build();
    }

    private static Map<String, Object> resources(Form form) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("vcpus", form.whole("vcpus", "vCPUs", 1, 1024, null));
        resources.put("memoryMib", form.whole("memoryMib", "Memory", 1, 16_777_216, null));
        resources.put("diskGib", form.whole("diskGib", "Disk", 0, 1_048_576, null));
        return resources;
    }

    private static Object orText(Object value) {
        return value == null ? "" : value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    static Map<String, String> single(MultivaluedMap<String, String> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((k, v) -> values.put(k, v.isEmpty() ? "" : v.get(0)));
        return values;
    }
}
