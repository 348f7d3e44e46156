package org.xenomarket.portal.session;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The way to the sign-in page that comes back to the page a person was on. */
public final class SessionRedirect {

    private SessionRedirect() {
    }

    /** The sign-in page that returns to this request's page (for a form post: the page it came from). */
    public static String signInFor(ContainerRequestContext request) {
        String then = request.getUriInfo().getRequestUri().getRawPath();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null) {
            then += "?" + query;
        }
        if (!"GET".equals(request.getMethod())) {
            String referer = request.getHeaderString("Referer");
            URI from = referer == null ? null : URI.create(referer);
            then = from == null ? "/" : from.getRawPath() + (from.getRawQuery() == null ? "" : "?" + from.getRawQuery());
        }
        if (then.equals("/sign-out")) {
            then = "/";
        }
        return "/sign-in?then=" + URLEncoder.encode(ReturnPath.safe(then), StandardCharsets.UTF_8);
    }
}
