package org.xenomarket.market.paging;

import java.util.UUID;
import org.xenomarket.market.problem.InvalidInput;

/** Reads the {@code after} and {@code limit} query parameters of list endpoints. */
public record Cursor(UUID after, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static Cursor of(String after, String limit) {
        int size = size(limit);
        if (after == null || after.isBlank()) {
            return new Cursor(null, size);
        }
        try {
            return new Cursor(UUID.fromString(after), size);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("after", "is not a cursor this API gave out");
        }
    }

    /**
     * The page size asked for, read from the query's text here rather than converted by JAX-RS:
     * a parameter JAX-RS cannot convert answers 404, and {@code ?limit=abc} is bad input, not a
     * missing page. At most three digits are read, so no text is parsed beyond the bound.
     */
    private static int size(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        String digits = limit.strip();
        if (digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInput("limit", "must be a whole number between 1 and " + MAX_LIMIT);
        }
        int size = Integer.parseInt(digits);
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidInput("limit", "must be a whole number between 1 and " + MAX_LIMIT);
        }
        return size;
    }
}
