package org.xenomarket.portal.session;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Finds the session of every page request by its cookie; without one, a page request goes to the
 * sign-in page, which brings the person back to where they were.
 */
public class SessionFilter {

    private final SessionStore store;
    private final CurrentSession current;

    public SessionFilter(SessionStore store, CurrentSession current) {
        this.store = store;
        this.current = current;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        Cookie cookie = request.getCookies().get(SessionCookie.NAME);
        PortalSession session = store.find(cookie == null ? null : cookie.getValue());
        if (session != null) {
            current.set(session);
            return null;
        }
        if (path.equals("/sign-in") || path.startsWith("/static/") || path.startsWith("/q/")) {
            return null;
        }
        return Response.seeOther(URI.create(SessionRedirect.signInFor(request))).build();
    }
}
