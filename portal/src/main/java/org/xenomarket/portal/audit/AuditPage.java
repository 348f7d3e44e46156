package org.xenomarket.portal.audit;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * The audit log (finance and operators), filtered by subject (type and id), action and request id,
 * newest first, a page at a time; an empty filter shows the latest changes of all.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

    private static final List<String> FILTERS = List.of("objectType", "objectId", "action", "requestId");

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template audit;

    public AuditPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                     @Location("audit/audit.html") Template audit) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.audit = audit;
    }

    @GET
    @SuppressWarnings("unchecked")
    public Response search(@QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                           @QueryParam("action") String action, @QueryParam("requestId") String requestId,
                           @QueryParam("after") String after) {
        Form form = Form.of(Map.of("objectType", objectType == null ? "" : objectType,
                "objectId", objectId == null ? "" : objectId, "action", action == null ? "" : action,
                "requestId", requestId == null ? "" : requestId));
        List<Map<String, Object>> events = List.of();
        String next = null;
        try {
            Map<String, Object> page = market.audit(current.bearer(), blankAsNull(form.value("objectType")),
                    blankAsNull(form.value("objectId")), blankAsNull(form.value("action")),
                    blankAsNull(form.value("requestId")), "newest", blankAsNull(after));
            events = (List<Map<String, Object>>) page.get("items");
            next = (String) page.get("next");
        } catch (MarketProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            form.absorb(problem, Map.of("objectType", "objectType", "objectId", "objectId", "action", "action",
                    "requestId", "requestId"));
        }
        return Response.status(form.valid() ? 200 : 400).entity(pages.of(audit, "Audit log").data("form", form)
                .data("events", events).data("next", next == null ? null : nextLink(form, next))).build();
    }

    /** This search's next page: the same filters, after the last event shown. */
    private static String nextLink(Form form, String next) {
        StringBuilder link = new StringBuilder("/audit?after=").append(next);
        for (String filter : FILTERS) {
            if (form.has(filter)) {
                link.append('&').append(filter).append('=')
                        .append(java.net.URLEncoder.encode(form.value(filter), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return link.toString();
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
