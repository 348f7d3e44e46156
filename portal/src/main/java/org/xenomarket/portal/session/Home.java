package org.xenomarket.portal.session;

/** Each role's first page. */
public final class Home {

    private Home() {
    }

    public static String of(String role) {
        return switch (role) {
            case "sponsor" -> "/sponsor/servers";
            case "provider" -> "/provider/servers";
            case "finance", "operator" -> "/policies";
            default -> "/tokens";
        };
    }
}
