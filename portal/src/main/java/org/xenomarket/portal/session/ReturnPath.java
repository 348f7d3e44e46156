package org.xenomarket.portal.session;

/** Where to go back after signing in: only a path on this portal, never another site. */
public final class ReturnPath {

    private ReturnPath() {
    }

    public static String safe(String then) {
        if (then == null || !then.startsWith("/") || then.startsWith("//") || then.startsWith("/\\")
                || then.startsWith("/sign-")) {
            return "/";
        }
        return then;
    }
}
