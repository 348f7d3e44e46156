package org.xenomarket.market.audit.rest;

import java.util.UUID;
import org.xenomarket.market.audit.AuditFilter;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.query.QueryParameter;
import org.xenomarket.market.request.RequestId;

/** Reads the audit log's query parameters into a filter; each fault names the parameter. */
final class AuditMapper {

    /** Longer than any action, object type or id the market writes; bounded before anything is parsed. */
    static final int MAX_TEXT = 200;
    /** An ISO-8601 instant with nanoseconds and an offset fits in 40 characters. */
    private static final int MAX_INSTANT = 40;

    private AuditMapper() {
    }

    static AuditFilter toFilter(String actor, String action, String objectType, String objectId, String from,
                                String to, String requestId) {
        return new AuditFilter(uuid("actor", actor), text("action", action), text("objectType", objectType),
                text("objectId", objectId),
                QueryParameter.instant("from", bounded("from", from, MAX_INSTANT)),
                QueryParameter.instant("to", bounded("to", to, MAX_INSTANT)),
                request(requestId));
    }

    /** {@code newest} lists the latest events first; {@code oldest} (the default) the earliest. */
    static boolean newestFirst(String order) {
        if (order == null || order.isBlank() || order.equals("oldest")) {
            return false;
        }
        if (order.equals("newest")) {
            return true;
        }
        throw new InvalidInput("order", "must be oldest or newest");
    }

    private static UUID uuid(String name, String raw) {
        String value = text(name, raw);
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(name, "must be an account id (a UUID)");
        }
    }

    private static String request(String raw) {
        String value = text("requestId", raw);
        if (value != null && !RequestId.isWellFormed(value)) {
            throw new InvalidInput("requestId", "is no request id the market gives out (1 to 128 of letters, digits, "
                    + "'.', '_', ':' and '-')");
        }
        return value;
    }

    private static String text(String name, String raw) {
        String value = bounded(name, raw, MAX_TEXT);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String bounded(String name, String raw, int max) {
        if (raw != null && raw.length() > max) {
            throw new InvalidInput(name, "must be at most " + max + " characters");
        }
        return raw;
    }
}
