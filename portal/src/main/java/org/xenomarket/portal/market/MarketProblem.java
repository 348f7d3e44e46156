package org.xenomarket.portal.market;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The market said no: its RFC 9457 problem (status, title, detail, and the request fields at fault),
 * for a page to show next to the fields in plain words.
 */
public class MarketProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> fieldErrors;

    public MarketProblem(int status, String title, String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.fieldErrors = new LinkedHashMap<>(fieldErrors);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The market's message for each field it names, by the field's JSON path (e.g. {@code resources.vcpus}). */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** The market refused the token: the session expired or was revoked. */
    public boolean signedOut() {
        return status == 401;
    }
}
