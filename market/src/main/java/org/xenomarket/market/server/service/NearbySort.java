package org.xenomarket.market.server.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.xenomarket.market.problem.InvalidInput;

/** How discovery orders the servers it finds. */
public enum NearbySort {
    /** Nearest first. */
    DISTANCE,
    /** Cheapest for the resources asked about first; servers where they do not fit last. */
    PRICE,
    /**
     * Cheapest in total first: the whole window and the egress expected to the search point, so a nearer
     * server that costs more per hour can come first; servers where the resources do not fit last.
     */
    TOTAL,
    /** Most reliable first; at equal score the nearer. */
    RELIABILITY;

    /** The sort a query parameter names, case-insensitive; distance when absent. */
    public static NearbySort parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DISTANCE;
        }
        try {
            return valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("sort", "must be one of " + Arrays.stream(values())
                    .map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", not '" + raw + "'");
        }
    }
}
