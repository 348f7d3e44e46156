package org.xenomarket.portal.session;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** A signed-in person as the portal keeps them: the market token stays on the server, never in the browser. */
@TemplateData
public record PortalSession(String id, String token, String email, String displayName, String role,
                            Instant expiresAt) {

    /** The header value for the market's API. */
    public String bearer() {
        return "Bearer " + token;
    }

    public boolean is(String candidate) {
        return role.equals(candidate);
    }
}
