package org.xenomarket.market.problem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A change made again sooner than the market allows for the object; nothing was changed (429). */
public class TooFrequent extends ProblemException {

    private final Duration retryAfter;

    public TooFrequent(String field, String detail, Duration retryAfter) {
        super(429, ProblemTypes.RATE_LIMITED, "Too many requests", detail,
                List.of(new Problem.FieldError(field, detail)));
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, rounded up and at least 1, as Retry-After takes them. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", Long.toString(retryAfterSeconds()));
    }
}
