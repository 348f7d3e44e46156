package org.xenomarket.market.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Creates UUIDv7 identifiers: random, yet ordered by creation time, so that listing by id is
 * listing by age and a cursor for pagination is simply the last id seen.
 */
public final class TimeOrderedId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedId() {
    }

    /** A new UUIDv7 from the system clock. */
    public static UUID next() {
        return next(Clock.systemUTC());
    }

    /** A new UUIDv7 whose time part comes from the given clock. */
    public static UUID next(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
