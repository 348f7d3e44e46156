package org.xenomarket.portal.session;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.xenomarket.portal.form.Form;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.market.MarketProblem;

/** Signing in with email and password (the market checks them and hands out a token) and out again. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    private static final Logger LOG = Logger.getLogger(SignInResource.class);

    private final MarketApi market;
    private final SessionStore store;
    private final SessionCookie cookie;
    private final CurrentSession current;
    private final Pages pages;
    private final Template signIn;

    public SignInResource(@RestClient MarketApi market, SessionStore store, SessionCookie cookie,
                          CurrentSession current, Pages pages, @Location("sign-in.html") Template signIn) {
        this.market = market;
        this.store = store;
        this.cookie = cookie;
        this.current = current;
        this.pages = pages;
        this.signIn = signIn;
    }

    @GET
    @Path("sign-in")
    public TemplateInstance form(@QueryParam("then") String then) {
        return page(Form.of(Map.of("then", ReturnPath.safe(then))));
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("email") String email, @FormParam("password") String password,
                           @FormParam("then") String then) {
        Form form = Form.of(Map.of("email", email == null ? "" : email, "then", ReturnPath.safe(then)));
        if (!form.has("email")) {
            form.reject("email", "Enter your email address.");
        }
        if (password == null || password.isEmpty()) {
            form.reject("password", "Enter your password.");
        }
        if (!form.valid()) {
            return Response.status(400).entity(page(form)).build();
        }
        try {
            Map<String, Object> session = market.signIn(Map.of("email", form.value("email"), "password", password));
            @SuppressWarnings("unchecked")
            Map<String, Object> person = (Map<String, Object>) session.get("person");
            PortalSession opened = store.open((String) session.get("token"), (String) person.get("email"),
                    (String) person.get("displayName"), (String) person.get("role"),
                    Instant.parse((String) session.get("expiresAt")));
            String target = form.value("then").equals("/") ? Home.of(opened.role()) : form.value("then");
            return Response.seeOther(URI.create(target)).cookie(cookie.of(opened)).build();
        } catch (MarketProblem problem) {
            if (problem.status() == 401 || problem.status() == 400) {
                form.reject("password", "The email or the password is wrong.");
                return Response.status(problem.status()).entity(page(form)).build();
            }
            LOG.warnf("sign-in failed: the market answered %d: %s", problem.status(), problem.getMessage());
            throw problem;
        }
    }

    @POST
    @Path("sign-out")
    public Response signOut(@CookieParam(SessionCookie.NAME) String id) {
        PortalSession session = store.find(id);
        store.forget(id);
        if (session != null) {
            try {
                market.signOut(session.bearer());
            } catch (MarketProblem alreadyGone) {
                // The token expired or was revoked already: signed out either way.
            }
        }
        return Response.seeOther(URI.create("/sign-in?signedOut=true")).cookie(cookie.cleared()).build();
    }

    private TemplateInstance page(Form form) {
        return pages.of(signIn, "Sign in").data("form", form);
    }
}
