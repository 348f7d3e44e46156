package org.xenomarket.portal.session;

import jakarta.enterprise.context.RequestScoped;

/** The session of the current request, set by {@link SessionFilter} before any page runs. */
@RequestScoped
public class CurrentSession {

    private PortalSession session;

    void set(PortalSession session) {
        this.session = session;
    }

    /** The session; pages behind the filter always have one. */
    public PortalSession get() {
        if (session == null) {
            throw new SignInNeeded();
        }
        return session;
    }

    public boolean present() {
        return session != null;
    }

    public String bearer() {
        return get().bearer();
    }
}
