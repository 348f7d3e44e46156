package org.xenomarket.market.request;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of one HTTP request, which its answer returns in {@code X-Request-Id} and its audited
 * changes store. A client's own id is kept when it is well-formed (1 to 128 of letters, digits,
 * '.', '_', ':' and '-', so it is safe in logs, headers and SQL), else a new one is made.
 */
public final class RequestId {

    /** The header that carries it, both ways. */
    public static final String HEADER = "X-Request-Id";

    static final int MAX_LENGTH = 128;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private RequestId() {
    }

    /** The client's id when well-formed, else a fresh random one. */
    public static String of(String given) {
        return isWellFormed(given) ? given : generate();
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && WELL_FORMED.matcher(candidate).matches();
    }

    static String generate() {
        return UUID.randomUUID().toString();
    }
}
