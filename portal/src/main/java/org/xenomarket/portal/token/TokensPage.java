package org.xenomarket.portal.token;

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
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/**
 * The account's API tokens for programs: list with their expiry, make one good for some days (its
 * secret shown once), rotate one (the new secret shown once, the old one dead at once), revoke.
 */
@Path("/tokens")
@Produces(MediaType.TEXT_HTML)
public class TokensPage {

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template tokens;

    public TokensPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                      @Location("token/tokens.html") Template tokens) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.tokens = tokens;
    }

    @GET
    public Response list() {
        return page(Form.of(Map.of()), null, 200);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("label") String label, @FormParam("expiresInDays") String expiresInDays) {
        Form form = Form.of(Map.of("label", label == null ? "" : label,
                "expiresInDays", expiresInDays == null ? "" : expiresInDays));
        if (!form.has("label")) {
            form.reject("label", "Say what the token is for, e.g. deploy script.");
        }
        // The market says its own maximum; the portal only checks that this is a number of days.
        Long days = form.whole("expiresInDays", "Days until it expires", 1, 3650, 0L);
        if (!form.valid()) {
            return page(form, null, 400);
        }
        Map<String, Object> request = new HashMap<>(Map.of("label", form.value("label")));
        if (days != null && days > 0) {
            request.put("expiresInDays", days);
        }
        try {
            Map<String, Object> created = market.createToken(current.bearer(), request);
            return page(Form.of(Map.of()), created, 201);
        } catch (MarketProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            return page(form.absorb(problem, Map.of("label", "label", "expiresInDays", "expiresInDays")), null, 400);
        }
    }

    @POST
    @Path("/{id}/rotate")
    public Response rotate(@PathParam("id") String id) {
        Map<String, Object> rotated = market.rotateToken(current.bearer(), id, Map.of());
        return page(Form.of(Map.of()), rotated, 201);
    }

    @POST
    @Path("/{id}/revoke")
    public Response revoke(@PathParam("id") String id) {
        market.revokeToken(current.bearer(), id);
        return page(Form.of(Map.of()), null, 200);
    }

    private Response page(Form form, Map<String, Object> created, int status) {
        return Response.status(status).entity(pages.of(tokens, "API tokens").data("form", form).data("created", created)
                .data("tokens", market.tokens(current.bearer()))).build();
    }
}
