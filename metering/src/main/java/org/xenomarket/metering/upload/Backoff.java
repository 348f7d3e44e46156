package org.xenomarket.metering.upload;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait after consecutive failed uploads: doubling from {@code initial}, capped at
 * {@code max}, optionally with "equal jitter" (a random point in the upper half of the delay) so
 * that a thousand agents coming back after a market outage do not all retry in the same second.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator jitter;

    private Backoff(long initialMillis, long maxMillis, RandomGenerator jitter) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.jitter = jitter;
    }

    /** Deterministic doubling from {@code initial} up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        long initialMillis = initial.toMillis();
        long maxMillis = max.toMillis();
        if (initialMillis < 1) {
            throw new IllegalArgumentException("initial must be at least 1 ms, was " + initial);
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("max (" + max + ") must be >= initial (" + initial + ")");
        }
        return new Backoff(initialMillis, maxMillis, null);
    }

    /** The agent's default: 1 s doubling to 5 min, jittered. */
    public static Backoff standard() {
        return exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)).withJitter(RandomGenerator.getDefault());
    }

    /** This policy with equal jitter drawn from {@code random}. */
    public Backoff withJitter(RandomGenerator random) {
        return new Backoff(initialMillis, maxMillis, Objects.requireNonNull(random, "random"));
    }

    /** The delay before the next attempt after {@code consecutiveFailures} (>= 1) failures in a row. */
    public Duration delayAfter(int consecutiveFailures) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 1, was " + consecutiveFailures);
        }
        long delay = initialMillis;
        // Double step by step rather than shift, so no failure count can overflow past the cap.
        for (int i = 1; i < consecutiveFailures && delay < maxMillis; i++) {
            delay = delay > maxMillis / 2 ? maxMillis : delay * 2;
        }
        delay = Math.min(delay, maxMillis);
        if (jitter != null) {
            long half = delay / 2;
            delay = delay - half + jitter.nextLong(half + 1);
        }
        return Duration.ofMillis(delay);
    }
}
