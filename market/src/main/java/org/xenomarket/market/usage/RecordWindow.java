package org.xenomarket.market.usage;

import java.time.Duration;
import java.time.Instant;

/**
 * Which intervals a usage record may cover, judged before anything is split into hours: a record
 * must lie within its lease (give or take the clocks' skew) and span at most {@link #MAX_SPAN}.
 * A record from long before its lease once billed hours before the lease began, and its hourly
 * split (about 17 million hours from year 1) ran out of memory on the request thread.
 */
public final class RecordWindow {

    /** Node and market clocks differ a little; records may begin or end this far outside their lease. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** An agent reports every few minutes; a week covers any honest outage of its uplink. */
    public static final Duration MAX_SPAN = Duration.ofDays(7);

    private RecordWindow() {
    }

    /** Why {@code [t0, t1)} is no interval a record may cover, or null when it may. */
    public static String spanProblem(Instant t0, Instant t1) {
        if (!t1.isAfter(t0)) {
            return "[" + t0 + ", " + t1 + ") is empty";
        }
        if (Duration.between(t0, t1).compareTo(MAX_SPAN) > 0) {
            return "[" + t0 + ", " + t1 + ") spans more than " + MAX_SPAN.toDays() + " days";
        }
        return null;
    }

    /** Why {@code [t0, t1)} does not lie within the lease {@code [leaseStart, leaseEnd)}, or null when it does. */
    public static String leaseProblem(Instant t0, Instant t1, String leaseId, Instant leaseStart, Instant leaseEnd) {
        if (t0.isBefore(leaseStart.minus(CLOCK_SKEW))) {
            return "[" + t0 + ", " + t1 + ") starts before lease " + leaseId + " began at " + leaseStart;
        }
        if (t1.isAfter(leaseEnd.plus(CLOCK_SKEW))) {
            return "[" + t0 + ", " + t1 + ") ends after lease " + leaseId + " ended at " + leaseEnd;
        }
        return null;
    }
}
