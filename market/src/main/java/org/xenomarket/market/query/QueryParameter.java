package org.xenomarket.market.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.xenomarket.market.problem.InvalidInput;

/**
 * Reads query parameters with errors that name the parameter. JAX-RS answers a query parameter
 * it cannot convert with a bare 404, which tells a client nothing; reading them as text and
 * converting here gives a 400 problem instead.
 */
public final class QueryParameter {

    private QueryParameter() {
    }

    /** A number within [min, max]; the default when absent. */
    public static double decimal(String name, String raw, Double fallback, double min, double max) {
        if (raw == null || raw.isBlank()) {
            if (fallback == null) {
                throw new InvalidInput(name, "is required");
            }
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "must be a number, not '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidInput(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** A whole number within [min, max]; the default when absent. */
    public static long whole(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "must be a whole number, not '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new InvalidInput(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** An ISO-8601 instant such as 2026-11-25T12:00:00Z; null when absent. */
    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name, "must be an ISO-8601 instant such as 2026-11-25T12:00:00Z");
        }
    }

    /** A comma-separated list, trimmed, without blanks or repeats; empty when absent. */
    public static java.util.List<String> list(String raw) {
        if (raw == null || raw.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(raw.split(",")).map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
    }
}
