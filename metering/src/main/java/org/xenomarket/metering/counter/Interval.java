package org.xenomarket.metering.counter;

import java.time.Instant;
import java.util.Objects;

/**
 * A half-open time interval {@code [t0, t1)} with millisecond precision and {@code t0 < t1}.
 *
 * <p>Whole milliseconds only, because the canonical record encoding carries epoch milliseconds
 * and a signed record must round-trip through it without losing anything.
 */
public record Interval(Instant t0, Instant t1) {

    public Interval {
        Objects.requireNonNull(t0, "t0");
        Objects.requireNonNull(t1, "t1");
        requireWholeMillis(t0, "t0");
        requireWholeMillis(t1, "t1");
        if (!t0.isBefore(t1)) {
            throw new IllegalArgumentException("interval must have t0 < t1, was [" + t0 + ", " + t1 + ")");
        }
    }

    /** The interval {@code [t0Millis, t1Millis)} in epoch milliseconds. */
    public static Interval ofEpochMillis(long t0Millis, long t1Millis) {
        return new Interval(Instant.ofEpochMilli(t0Millis), Instant.ofEpochMilli(t1Millis));
    }

    public long t0EpochMillis() {
        return t0.toEpochMilli();
    }

    public long t1EpochMillis() {
        return t1.toEpochMilli();
    }

    /** Length in milliseconds; exact, throws if it does not fit a long. */
    public long lengthMillis() {
        return Math.subtractExact(t1EpochMillis(), t0EpochMillis());
    }

    /** True when {@code next} starts exactly where this one ends: no gap, no overlap. */
    public boolean isFollowedBy(Interval next) {
        return t1.equals(next.t0);
    }

    static void requireWholeMillis(Instant instant, String name) {
        if (instant.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(name + " must be whole milliseconds, was " + instant);
        }
        // toEpochMilli throws ArithmeticException outside the range a long of millis can hold.
        instant.toEpochMilli();
    }
}
