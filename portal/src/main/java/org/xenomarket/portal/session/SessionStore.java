package org.xenomarket.portal.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions by their opaque id, in this process's memory. The browser holds only the id (256 random
 * bits), so a stolen cookie cannot be replayed against the market's API directly, and signing out
 * or expiry forgets the token here. A restart of the portal signs everyone out: acceptable for one
 * console instance; several instances would need a shared store.
 */
@ApplicationScoped
public class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public PortalSession open(String token, String email, String displayName, String role, Instant expiresAt) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        PortalSession session = new PortalSession(Base64.getUrlEncoder().withoutPadding().encodeToString(id), token,
                email, displayName, role, expiresAt);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, or null; an expired one is forgotten on the way. */
    public PortalSession find(String id) {
        if (id == null) {
            return null;
        }
        PortalSession session = sessions.get(id);
        if (session != null && !session.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id);
            return null;
        }
        return session;
    }

    public void forget(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
