package org.xenomarket.metering.counter;

/** How much a cumulative counter advanced between two readings, allowing for guest restarts. */
public final class CounterDelta {

    private CounterDelta() {
    }

    /**
     * The advance from {@code previous} to {@code current}.
     *
     * <p>A counter that went down was reset: the guest restarted and counted up again from zero,
     * so everything it shows now was used since the restart and the delta is {@code current}
     * itself. Never negative. (A restart after which the counter already climbed past its old
     * value is indistinguishable from no restart; it under-counts by what was used before the
     * restart in this interval, which is the conservative side for the sponsor.)
     */
    public static long between(long previous, long current) {
        if (previous < 0 || current < 0) {
            throw new IllegalArgumentException("counters are never negative: " + previous + " -> " + current);
        }
        return current >= previous ? current - previous : current;
    }
}
