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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
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

/** A provider's servers: site, capacity, node status, reliability, floor prices to set, and a form to list one more. */
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

    /** The market's field names for a new server, and this form's. */
    private static final Map<String, String> SERVER_FIELDS = Map.of("name", "name", "site", "site",
            "hypervisor", "hypervisor", "capacity.vcpus", "vcpus", "capacity.memoryMib", "memoryMib",
            "capacity.diskGib", "diskGib", "capacity.egressMbps", "egressMbps", "vcpuHour", "floorVcpuHour");

    @GET
    public Response list(@QueryParam("site") String site) {
        Form blank = Form.of(Map.of("site", site == null ? "" : site, "hypervisor", "KVM", "egressMbps", "1000"));
        return page(null, null, blank, 200);
    }

    /** Lists a new server at one of the market's sites; errors stay next to their fields. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(MultivaluedMap<String, String> fields) {
        Form form = Form.of(Forms.single(fields, SERVER_FIELDS.values()));
        Map<String, Object> capacity = new LinkedHashMap<>();
        capacity.put("vcpus", form.whole("vcpus", "vCPUs", 1, 4096, null));
        capacity.put("memoryMib", form.whole("memoryMib", "Memory", 1, 1L << 32, null));
        capacity.put("diskGib", form.whole("diskGib", "Disk", 1, 1L << 24, null));
        capacity.put("egressMbps", form.whole("egressMbps", "Egress", 1, 1_000_000, null));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("name", form.value("name"));
        server.put("site", form.value("site"));
        server.put("hypervisor", form.value("hypervisor"));
        server.put("capacity", capacity);
        if (form.has("floorVcpuHour")) {
            form.decimal("floorVcpuHour", "Floor per vCPU-hour", BigDecimal.ZERO, new BigDecimal("1000000"));
            server.put("floorPrices", Map.of("currency", "EUR", "vcpuHour", form.value("floorVcpuHour")));
        }
        if (form.valid()) {
            try {
                Map<String, Object> listed = market.createServer(current.bearer(), server);
                return Response.seeOther(URI.create("/provider/servers?listed=" + listed.get("id"))).build();
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 409 && problem.status() != 422) {
                    throw problem;
                }
                form.absorb(problem, SERVER_FIELDS);
            }
        }
        return page(null, null, form, 400);
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
            return page(id, form, Form.of(Map.of("hypervisor", "KVM", "egressMbps", "1000")), 400);
        }
    }

    @SuppressWarnings("unchecked")
    private Response page(String failedId, Form failed, Form listing, int status) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) market.servers(current.bearer(), 200).get("items");
        return Response.status(status).entity(pages.of(servers, "Your servers").data("servers", items)
                .data("failedId", failedId == null ? "" : failedId).data("failed", failed)
                .data("form", listing).data("sites", market.sites(current.bearer()))
                .data("hypervisors", List.of("KVM", "XEN", "QEMU", "SIMULATED"))).build();
    }
}
