package org.xenomarket.pricing;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/** Splits a lease into seconds per local hour of day (0..23) at a time zone, daylight saving included. */
final class LocalHours {

    private static final long DAY = 86_400;
    private static final long HOUR = 3_600;

    private LocalHours() {
    }

    /** {@code result[h]} is how many seconds of {@code [start, start + seconds)} fall in local hour h. */
    static long[] secondsPerHourOfDay(ZoneId zone, Instant start, long seconds) {
        long[] out = new long[24];
        ZoneRules rules = zone.getRules();
        long t = start.getEpochSecond();
        long end = Math.addExact(t, seconds);
        if (rules.isFixedOffset()) {
            int offset = rules.getOffset(start).getTotalSeconds();
            addLocal(out, t + offset, end + offset);
            return out;
        }
        // the offset is constant between transitions: add each constant stretch in local time
        while (t < end) {
            Instant at = Instant.ofEpochSecond(t);
            int offset = rules.getOffset(at).getTotalSeconds();
            ZoneOffsetTransition next = rules.nextTransition(at);
            long stretchEnd = next == null ? end : Math.min(end, next.getInstant().getEpochSecond());
            addLocal(out, t + offset, stretchEnd + offset);
            t = stretchEnd;
        }
        return out;
    }

    /** Seconds per local hour of day of a span already in local seconds since the epoch. */
    static long[] ofLocalSpan(long localFrom, long localTo) {
        long[] out = new long[24];
        addLocal(out, localFrom, localTo);
        return out;
    }

    /**
     * A stretch of time during which a zone's offset does not change: a quote inside it needs no
     * transition look-up. Sheets keep the last ones they used.
     */
    record OffsetWindow(long fromEpochSecond, long toEpochSecond, int offsetSeconds) {

        /**
         * The whole stretch of constant offset that {@code instant} falls in, from the transition at or before
         * it to the next, so later requests starting earlier in the same stretch find it too.
         */
        static OffsetWindow around(ZoneId zone, Instant instant) {
            ZoneRules rules = zone.getRules();
            int offset = rules.getOffset(instant).getTotalSeconds();
            if (rules.isFixedOffset()) {
                return new OffsetWindow(Long.MIN_VALUE, Long.MAX_VALUE, offset);
            }
            // transitions fall on whole seconds: the one strictly before the next second is at or before the instant
            ZoneOffsetTransition previous =
                    rules.previousTransition(Instant.ofEpochSecond(instant.getEpochSecond() + 1));
            ZoneOffsetTransition next = rules.nextTransition(instant);
            return new OffsetWindow(previous == null ? Long.MIN_VALUE : previous.getInstant().getEpochSecond(),
                    next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond(), offset);
        }

        boolean covers(long from, long to) {
            return from >= fromEpochSecond && to <= toEpochSecond;
        }
    }

    private static void addLocal(long[] out, long from, long to) {
        if (from >= to) {
            return;
        }
        long days = (to - from) / DAY;
        if (days > 0) {
            // any whole day covers every hour of day exactly once
            for (int h = 0; h < 24; h++) {
                out[h] += days * HOUR;
            }
            from += days * DAY;
        }
        long hourIndex = Math.floorDiv(from, HOUR);
        int h = (int) Math.floorMod(hourIndex, 24L);
        long hourEnd = (hourIndex + 1) * HOUR;
        while (from < to) {
            long next = Math.min(to, hourEnd);
            out[h] += next - from;
            from = next;
            hourEnd += HOUR;
            h = h == 23 ? 0 : h + 1;
        }
    }
}
