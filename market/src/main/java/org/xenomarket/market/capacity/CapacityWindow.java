package org.xenomarket.market.capacity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The hour buckets a lease occupies: from the hour its start falls in up to the hour its end
 * falls in (exclusive, or inclusive when the end is not on the hour). Capacity is booked per
 * hour, so a lease from 10:30 to 11:30 holds the 10:00 and the 11:00 buckets.
 */
public record CapacityWindow(Instant firstBucket, int buckets) {

    public static CapacityWindow covering(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end " + end + " must be after start " + start);
        }
        Instant first = start.truncatedTo(ChronoUnit.HOURS);
        Instant endBucket = end.truncatedTo(ChronoUnit.HOURS);
        Instant last = endBucket.equals(end) ? endBucket : endBucket.plus(Duration.ofHours(1));
        return new CapacityWindow(first, (int) Duration.between(first, last).toHours());
    }

    /** The instant just after the last bucket. */
    public Instant end() {
        return firstBucket.plus(Duration.ofHours(buckets));
    }

    /**
     * The hours of the window {@code covering(start, end)} from the hour {@code from} falls in
     * onwards: what a lease over [start, end) stops holding when it stops at {@code from}. Null
     * when none are left.
     */
    public static CapacityWindow tail(Instant start, Instant end, Instant from) {
        if (!end.isAfter(start)) {
            return null;
        }
        CapacityWindow held = covering(start, end);
        Instant first = from.isBefore(start) ? held.firstBucket() : from.truncatedTo(ChronoUnit.HOURS);
        int left = (int) Duration.between(first, held.end()).toHours();
        return left <= 0 ? null : new CapacityWindow(first, left);
    }
}
