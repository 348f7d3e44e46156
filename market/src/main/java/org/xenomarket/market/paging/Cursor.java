package org.xenomarket.market.paging;

import java.util.UUID;
import org.xenomarket.market.problem.InvalidInput;

/** Reads the {@code after} and {@code limit} query parameters of list endpoints. */
public record Cursor(UUID after, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static Cursor of(String after, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidInput("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (after == null || after.isBlank()) {
            return new Cursor(null, size);
        }
        try {
            return new Cursor(UUID.fromString(after), size);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("after", "is not a cursor this API gave out");
        }
    }
}
