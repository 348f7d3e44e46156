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
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;

/** The account's API tokens for programs: list, make one (its secret shown once), revoke. */
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
    public Response create(@FormParam("label") String label) {
        Form form = Form.of(Map.of("label", label == null ? "" : label));
        if (!form.has("label")) {
            return page(form.reject("label", "Say what the token is for, e.g. deploy script."), null, 400);
        }
        try {
            Map<String, Object> created = market.createToken(current.bearer(), Map.of("label", form.value("label")));
            return page(Form.of(Map.of()), created, 201);
        } catch (MarketProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            return page(form.absorb(problem, Map.of("label", "label")), null, 400);
        }
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
