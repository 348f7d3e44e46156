package org.xenomarket.portal.provider;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/** A provider's servers: site, capacity, node status, reliability, and floor prices to set. */
@Path("/provider/servers")
@Produces(MediaType.TEXT_HTML)
public class ServersPage {

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template servers;

    public ServersPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                       @Location("provider/servers.html") Template servers) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.servers = servers;
    }

    @GET
    public Response list() {
        return page(null, null, 200);
    }

    @POST
    @Path("/{id}/floor-prices")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setFloor(@PathParam("id") String id, @FormParam("vcpuHour") String vcpuHour,
                             @FormParam("currency") String currency) {
        Form form = Form.of(Map.of("vcpuHour", vcpuHour == null ? "" : vcpuHour,
                "currency", currency == null || currency.isBlank() ? "EUR" : currency));
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("currency", form.value("currency"));
        prices.put("vcpuHour", form.value("vcpuHour").isEmpty() ? null : form.value("vcpuHour"));
        try {
            market.setFloorPrices(current.bearer(), id, prices);
            return Response.seeOther(URI.create("/provider/servers?updated=" + id)).build();
        } catch (MarketProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            form.absorb(problem, Map.of("vcpuHour", "vcpuHour", "currency", "currency"));
            return page(id, form, 400);
        }
    }

    @SuppressWarnings("unchecked")
    private Response page(String failedId, Form failed, int status) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) market.servers(current.bearer(), 200).get("items");
        return Response.status(status).entity(pages.of(servers, "Your servers").data("servers", items)
                .data("failedId", failedId == null ? "" : failedId).data("failed", failed)).build();
    }
}
