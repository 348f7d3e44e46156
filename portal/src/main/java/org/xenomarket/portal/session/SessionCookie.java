package org.xenomarket.portal.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (other sites' forms do not carry
 * it), and Secure when the portal is served over HTTPS ({@code xenomarket.portal.secure-cookies}).
 */
@ApplicationScoped
public class SessionCookie {

    public static final String NAME = "xm_session";

    private final boolean secure;

    public SessionCookie(@ConfigProperty(name = "xenomarket.portal.secure-cookies", defaultValue = "false") boolean secure) {
        this.secure = secure;
    }

    public NewCookie of(PortalSession session) {
        return build(session.id(), -1);
    }

    /** A cookie that makes the browser drop the session id. */
    public NewCookie cleared() {
        return build("", 0);
    }

    private NewCookie build(String value, int maxAge) {
        return new NewCookie.Builder(NAME).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
