package org.xenomarket.portal.form;

import io.quarkus.qute.TemplateData;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xenomarket.portal.market.MarketProblem;

/**
 * What a person typed into a form and what is wrong with it, field by field, so a page shows each
 * message next to its field with the entered values kept. Messages come from the portal's own
 * checks (a number that is not a number) and from the market's problem answers.
 */
@TemplateData
public class Form {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private String summary;

    public static Form of(Map<String, String> values) {
        Form form = new Form();
        values.forEach((k, v) -> form.values.put(k, v == null ? "" : v.strip()));
        return form;
    }

    public Form with(String field, String value) {
        values.put(field, value == null ? "" : value.strip());
        return this;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean has(String field) {
        return !value(field).isEmpty();
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean hasError(String field) {
        return errors.containsKey(field);
    }

    /** Every message, field by field, then the summary: for an answer that is not a page. */
    public java.util.List<String> errors() {
        java.util.List<String> all = new java.util.ArrayList<>();
        errors.forEach((field, message) -> all.add(field + ": " + message));
        if (summary != null) {
            all.add(summary);
        }
        return all;
    }

    public boolean valid() {
        return errors.isEmpty() && summary == null;
    }

    /** A message about the whole form, not one field. */
    public String summary() {
        return summary;
    }

    public Form reject(String field, String message) {
        errors.putIfAbsent(field, message);
        return this;
    }

    public Form fail(String message) {
        summary = message;
        return this;
    }

    /** A required decimal within bounds; null (and a message on the field) otherwise. */
    public BigDecimal decimal(String field, String label, BigDecimal min, BigDecimal max) {
        String text = value(field);
        if (text.isEmpty()) {
            reject(field, label + " is required.");
            return null;
        }
        try {
            BigDecimal number = new BigDecimal(text);
            if (min != null && number.compareTo(min) < 0 || max != null && number.compareTo(max) > 0) {
                reject(field, label + " must be between " + min.toPlainString() + " and " + max.toPlainString() + ".");
                return null;
            }
            return number;
        } catch (NumberFormatException e) {
            reject(field, label + " must be a number, such as 52.2.");
            return null;
        }
    }

    /** A whole number within bounds; required unless {@code fallback} is given. */
    public Long whole(String field, String label, long min, long max, Long fallback) {
        String text = value(field);
        if (text.isEmpty()) {
            if (fallback == null) {
                reject(field, label + " is required.");
            }
            return fallback;
        }
        try {
            long number = Long.parseLong(text);
            if (number < min || number > max) {
                reject(field, label + " must be between " + min + " and " + max + ".");
                return null;
            }
            return number;
        } catch (NumberFormatException e) {
            reject(field, label + " must be a whole number.");
            return null;
        }
    }

    /**
     * Puts the market's messages next to the form's fields: {@code fieldsByMarketName} maps the
     * market's field names (e.g. {@code resources.vcpus}) to this form's; a problem naming no known
     * field becomes the form's summary.
     */
    public Form absorb(MarketProblem problem, Map<String, String> fieldsByMarketName) {
        boolean placed = false;
        for (Map.Entry<String, String> error : problem.fieldErrors().entrySet()) {
            String field = fieldFor(error.getKey(), fieldsByMarketName);
            if (field != null) {
                reject(field, Plain.words(error.getValue()));
                placed = true;
            }
        }
        if (!placed) {
            summary = Plain.words(problem.getMessage());
        }
        return this;
    }

    private static String fieldFor(String marketField, Map<String, String> fieldsByMarketName) {
        for (Map.Entry<String, String> candidate : fieldsByMarketName.entrySet()) {
            if (marketField.equals(candidate.getKey()) || marketField.endsWith("." + candidate.getKey())) {
                return candidate.getValue();
            }
        }
        return null;
    }
}
