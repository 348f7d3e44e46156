package org.xenomarket.market.clearing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.xenomarket.market.problem.InvalidInput;

/** When a requested window starts: now unless given; never in the past, never over a year ahead. */
public final class StartTime {

    /** Clocks of clients and market differ a little; a start this far back still means "now". */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration HORIZON = Duration.ofDays(366);

    private StartTime() {
    }

    public static Instant resolve(Instant requested, Clock clock) {
        Instant now = clock.instant();
        if (requested == null) {
            return now;
        }
        if (requested.isBefore(now.minus(CLOCK_SKEW))) {
            throw new InvalidInput("start", "must not be in the past (now is " + now + ")");
        }
        if (requested.isAfter(now.plus(HORIZON))) {
            throw new InvalidInput("start", "must be within a year from now");
        }
        return requested.isBefore(now) ? now : requested;
    }
}
