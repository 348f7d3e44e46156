package org.xenomarket.portal.market;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The market said no: its RFC 9457 problem (status, title, detail, and the request fields at fault),
 * for a page to show next to the fields in plain words.
 */
public class MarketProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> fieldErrors;
    private final List<FieldError> allErrors;

    /** One of the problem's {@code errors[]}: the field at fault and the market's message. */
    public record FieldError(String field, String message) {
    }

    public MarketProblem(int status, String title, String detail, Map<String, String> fieldErrors) {
        this(status, title, detail, fieldErrors.entrySet().stream()
                .map(e -> new FieldError(e.getKey(), e.getValue())).toList());
    }

    public MarketProblem(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.allErrors = List.copyOf(errors);
        this.fieldErrors = new LinkedHashMap<>();
        errors.forEach(e -> fieldErrors.putIfAbsent(e.field(), e.message()));
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

    /** Every error the market listed, in its order, several per field possibly (a DRL source's compile errors). */
    public List<FieldError> allErrors() {
        return allErrors;
    }

    /** The market refused the token: the session expired or was revoked. */
    public boolean signedOut() {
        return status == 401;
    }
}
