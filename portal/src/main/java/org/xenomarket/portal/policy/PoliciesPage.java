package org.xenomarket.portal.policy;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/** Pricing policy versions: the list, a new draft, one version's rules and diff against the active one, a preview. */
@Path("/policies")
@Produces(MediaType.TEXT_HTML)
public class PoliciesPage {

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template list;
    private final Template one;

    public PoliciesPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                        @Location("policy/list.html") Template list, @Location("policy/one.html") Template one) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.list = list;
        this.one = one;
    }

    @GET
    public TemplateInstance list() {
        return listPage(Form.of(Map.of()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response draft(MultivaluedMap<String, String> fields) {
        Form form = Form.of(Map.of("version", orEmpty(fields.getFirst("version")), "note", orEmpty(fields.getFirst("note"))));
        if (!form.has("version")) {
            form.reject("version", "Name the new version, e.g. 2026.12-review.");
        } else {
            try {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("version", form.value("version"));
                request.put("note", form.value("note"));
                market.createPolicy(current.bearer(), request);
                return Response.seeOther(URI.create("/policies/"
                        + URLEncoder.encode(form.value("version"), StandardCharsets.UTF_8))).build();
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 409 && problem.status() != 422) {
                    throw problem;
                }
                form.absorb(problem, Map.of("version", "version", "note", "note"));
            }
        }
        return Response.status(400).entity(listPage(form)).build();
    }

    @GET
    @Path("/{version}")
    public TemplateInstance one(@PathParam("version") String version) {
        return onePage(version, Form.of(Map.of("vcpus", "2", "memoryMib", "4096", "diskGib", "20", "durationHours", "24")),
                null);
    }

    @POST
    @Path("/{version}/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(@PathParam("version") String version, MultivaluedMap<String, String> fields) {
        Form form = Form.of(Map.of("serverId", orEmpty(fields.getFirst("serverId")), "vcpus", orEmpty(fields.getFirst("vcpus")),
                "memoryMib", orEmpty(fields.getFirst("memoryMib")), "diskGib", orEmpty(fields.getFirst("diskGib")),
                "durationHours", orEmpty(fields.getFirst("durationHours"))));
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("vcpus", form.whole("vcpus", "vCPUs", 1, 1024, null));
        resources.put("memoryMib", form.whole("memoryMib", "Memory", 1, 16_777_216, null));
        resources.put("diskGib", form.whole("diskGib", "Disk", 0, 1_048_576, null));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("serverId", form.value("serverId"));
        request.put("resources", resources);
        request.put("durationHours", form.whole("durationHours", "Duration", 1, 8784, null));
        if (!form.has("serverId")) {
            form.reject("serverId", "Choose a server to price on.");
        }
        Map<String, Object> preview = null;
        if (form.valid()) {
            try {
                preview = market.previewPolicy(current.bearer(), version, request);
            } catch (MarketProblem problem) {
                if (problem.status() != 400 && problem.status() != 404 && problem.status() != 422) {
                    throw problem;
                }
                form.absorb(problem, Map.of("serverId", "serverId", "vcpus", "vcpus", "memoryMib", "memoryMib",
                        "diskGib", "diskGib", "durationHours", "durationHours"));
            }
        }
        return Response.status(preview == null ? 400 : 200).entity(onePage(version, form, preview)).build();
    }

    private TemplateInstance listPage(Form form) {
        List<Map<String, Object>> versions = market.policies(current.bearer());
        return pages.of(list, "Pricing policies").data("versions", versions).data("form", form);
    }

    private TemplateInstance onePage(String version, Form form, Map<String, Object> preview) {
        String bearer = current.bearer();
        Map<String, Object> policy = market.policy(bearer, version);
        Map<String, Object> diff = "ACTIVE".equals(policy.get("state")) ? null : market.policyDiff(bearer, version);
        // The servers to preview on: the whole Earth's (20040 km reaches every point), as finance may search them.
        List<Map<String, Object>> servers = market.nearby(bearer, "0", "0", "20040", null, null, null, null);
        return pages.of(one, "Policy " + version).data("policy", policy).data("diff", diff).data("form", form)
                .data("preview", preview).data("servers", servers);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
