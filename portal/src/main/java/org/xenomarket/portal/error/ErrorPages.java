package org.xenomarket.portal.error;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.xenomarket.portal.form.Plain;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketProblem;
import org.xenomarket.portal.session.CurrentSession;
import org.xenomarket.portal.session.SessionCookie;
import org.xenomarket.portal.session.SessionStore;
import org.xenomarket.portal.session.SignInNeeded;

/**
 * Every failure a page did not handle itself becomes a page in plain words with its status: never a
 * stack trace. A market that no longer takes the person's token sends them to sign in again, and
 * back to this page after.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private final Template error;
    private final Pages pages;
    private final CurrentSession current;
    private final SessionStore store;
    private final SessionCookie cookie;

    public ErrorPages(@Location("error.html") Template error, Pages pages, CurrentSession current, SessionStore store,
                      SessionCookie cookie) {
        this.error = error;
        this.pages = pages;
        this.current = current;
        this.store = store;
        this.cookie = cookie;
    }

    @ServerExceptionMapper
    public Response signInNeeded(SignInNeeded needed, ContainerRequestContext request) {
        return toSignIn(request);
    }

    @ServerExceptionMapper
    public Response marketSaidNo(MarketProblem problem, ContainerRequestContext request) {
        if (problem.signedOut()) {
            if (current.present()) {
                store.forget(current.get().id());
            }
            return toSignIn(request);
        }
        String heading = switch (problem.status()) {
            case 403 -> "Not permitted";
            case 404 -> "Not found";
            default -> problem.status() >= 500 ? "The market could not answer" : "The market refused this";
        };
        int status = problem.status() >= 500 ? 502 : problem.status();
        return page(status, heading, Plain.words(problem.getMessage()));
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        if (status == 404) {
            return page(404, "Not found", "There is no page at this address.");
        }
        if (status == 405) {
            return page(405, "Not here", "This page does not take that kind of request.");
        }
        return page(status, "Cannot show this page", "The request could not be handled (" + status + ").");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable failure, ContainerRequestContext request) {
        LOG.errorf(failure, "unexpected error on %s", request.getUriInfo().getPath());
        if (failure instanceof jakarta.ws.rs.ProcessingException) {
            return page(502, "The market could not be reached", "The market did not answer. Try again in a moment.");
        }
        return page(500, "Something went wrong", "The portal could not show this page. Try again in a moment.");
    }

    private Response toSignIn(ContainerRequestContext request) {
        String target = org.xenomarket.portal.session.SessionRedirect.signInFor(request);
        return Response.seeOther(URI.create(target)).cookie(cookie.cleared()).build();
    }

    private Response page(int status, String heading, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(pages.of(error, heading).data("errorFrame", true).data("status", status).data("heading", heading).data("detail", detail)
                        .render())
                .build();
    }
}
