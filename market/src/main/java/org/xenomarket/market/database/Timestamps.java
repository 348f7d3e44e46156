package org.xenomarket.market.database;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants as the reactive PostgreSQL client binds them to {@code timestamptz}: it takes an
 * {@link OffsetDateTime}, not an {@link Instant}, so every repository's parameters go through here.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** The instant at UTC, or null for null (an unset optional time binds as SQL NULL). */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
