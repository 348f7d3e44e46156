package org.xenomarket.market.placement;

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

    /**
     * The latest start of a window beginning at {@code start}: null when not given (the lease may
     * begin any time from start until the bid expires); never before start, never over a year ahead.
     */
    public static Instant resolveLatest(Instant requested, Instant start, Clock clock) {
        if (requested == null) {
            return null;
        }
        if (requested.isBefore(start)) {
            throw new InvalidInput("latestStart", "must not be before start (" + start + ")");
        }
        if (requested.isAfter(clock.instant().plus(HORIZON))) {
            throw new InvalidInput("latestStart", "must be within a year from now");
        }
        return requested;
    }

    /**
     * The starts worth trying for a window, earliest first: its start and every hour boundary up
     * to its latest start. Capacity is booked per hour, so whether a lease fits changes only when
     * its start crosses an hour boundary; no other start can fit where these do not.
     */
    public static java.util.List<Instant> candidates(Instant start, Instant latestStart, int limit) {
        java.util.List<Instant> starts = new java.util.ArrayList<>();
        starts.add(start);
        if (latestStart == null) {
            return starts;
        }
        Instant hour = start.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(1));
        while (!hour.isAfter(latestStart) && starts.size() < limit) {
            starts.add(hour);
            hour = hour.plus(Duration.ofHours(1));
        }
        return starts;
    }
}
