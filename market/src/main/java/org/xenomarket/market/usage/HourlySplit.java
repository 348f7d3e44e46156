package org.xenomarket.market.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a record's usage over the hours its interval touches, in proportion to the time spent in
 * each, in exact integer arithmetic: every hour gets the floor of its share and the last hour the
 * remainder, so the hours always add up to the record.
 */
public final class HourlySplit {

    /** The part of a record's usage that falls into one hour. */
    public record Share(Instant hour, UsageAmounts amounts) {
    }

    private HourlySplit() {
    }

    public static List<Share> of(Instant t0, Instant t1, UsageAmounts total) {
        long totalMillis = Duration.between(t0, t1).toMillis();
        if (totalMillis <= 0) {
            throw new IllegalArgumentException("t1 must be after t0: " + t0 + " .. " + t1);
        }
        // Ingestion refuses longer records before they come here; this keeps the split's size bounded regardless.
        if (Duration.between(t0, t1).compareTo(RecordWindow.MAX_SPAN) > 0) {
            throw new IllegalArgumentException("spans more than " + RecordWindow.MAX_SPAN + ": " + t0 + " .. " + t1);
        }
        List<Share> shares = new ArrayList<>();
        UsageAmounts given = UsageAmounts.ZERO;
        Instant hour = t0.truncatedTo(ChronoUnit.HOURS);
        while (hour.isBefore(t1)) {
            Instant next = hour.plus(1, ChronoUnit.HOURS);
            boolean last = !next.isBefore(t1);
            UsageAmounts part;
            if (last) {
                part = total.minus(given);
            } else {
                long overlap = Duration.between(hour.isAfter(t0) ? hour : t0, next).toMillis();
                part = total.scaled(overlap, totalMillis);
            }
            shares.add(new Share(hour, part));
            given = given.plus(part);
            hour = next;
        }
        return shares;
    }
}
