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

/** The audit log of one object, filtered by its type and id (finance and operators). */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

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
    public Response search(@QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId) {
        boolean searched = objectType != null || objectId != null;
        Form form = Form.of(Map.of("objectType", objectType == null ? "pricing-policy" : objectType,
                "objectId", objectId == null ? "" : objectId));
        List<Map<String, Object>> events = List.of();
        if (searched) {
            try {
                events = market.audit(current.bearer(), form.value("objectType"), form.value("objectId"));
            } catch (MarketProblem problem) {
                if (problem.status() != 400) {
                    throw problem;
                }
                form.absorb(problem, Map.of("objectType", "objectType", "objectId", "objectId"));
            }
        }
        return Response.status(form.valid() ? 200 : 400).entity(pages.of(audit, "Audit log").data("form", form)
                .data("events", events).data("searched", searched)).build();
    }
}
