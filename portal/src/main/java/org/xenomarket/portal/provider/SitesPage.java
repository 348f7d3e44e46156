package org.xenomarket.portal.provider;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * The market's sites, and a form for a provider (or an operator) to add one: where a server is
 * decides its region's prices and who finds it nearby, so a new server needs its site first.
 */
@Path("/provider/sites")
@Produces(MediaType.TEXT_HTML)
public class SitesPage {

    /** The market's field names for a site, and this form's. */
    private static final Map<String, String> SITE_FIELDS = Map.of("code", "code", "region", "region",
            "city", "city", "country", "country", "latitude", "latitude", "longitude", "longitude",
            "timeZone", "timeZone");

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template sites;

    public SitesPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                     @Location("provider/sites.html") Template sites) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.sites = sites;
    }

    @GET
    public Response list() {
        return page(Form.of(Map.of("timeZone", "UTC")), 200);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(MultivaluedMap<String, String> fields) {
        Form form = Form.of(Forms.single(fields, SITE_FIELDS.values()));
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("code", form.value("code"));
        site.put("region", form.value("region"));
        site.put("city", form.value("city"));
        site.put("country", form.value("country").toUpperCase(Locale.ROOT));
        site.put("latitude", form.decimal("latitude", "Latitude", BigDecimal.valueOf(-90), BigDecimal.valueOf(90)));
        site.put("longitude", form.decimal("longitude", "Longitude", BigDecimal.valueOf(-180), BigDecimal.valueOf(180)));
        site.put("timeZone", form.value("timeZone"));
        if (form.valid()) {
            try {
                Map<String, Object> added = market.createSite(current.bearer(), site);
                String code = URLEncoder.encode(String.valueOf(added.get("code")), StandardCharsets.UTF_8);
                return Response.seeOther(URI.create("/provider/servers?site=" + code + "#new-server")).build();
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 409 && problem.status() != 422) {
                    throw problem;
                }
                form.absorb(problem, SITE_FIELDS);
            }
        }
        return page(form, 400);
    }

    private Response page(Form form, int status) {
        List<Map<String, Object>> all = market.sites(current.bearer());
        List<Map<String, Object>> regions = market.regions(current.bearer());
        return Response.status(status).entity(pages.of(sites, "Sites").data("sites", all)
                .data("regions", regions).data("form", form)).build();
    }
}
