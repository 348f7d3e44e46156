package org.xenomarket.market.payment.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a declined invoice is tried again: each retry at a fixed offset from the first decline
 * (P1D,P3D,P7D by default), so a late retry does not push the next ones back. Once the retries are
 * used up there is no next attempt, and the sponsor's leases are suspended.
 */
public record DunningSchedule(List<Duration> retries) {

    public DunningSchedule {
        retries = List.copyOf(retries);
        if (retries.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("xenomarket.payment.dunning.retry-schedule: durations must not be negative");
        }
    }

    /**
     * When to try again after the {@code failures}-th decline (1 for the first), or empty when the
     * schedule is used up.
     */
    public Optional<Instant> nextAttempt(Instant firstFailedAt, int failures) {
        if (failures < 1 || failures > retries.size()) {
            return Optional.empty();
        }
        return Optional.of(firstFailedAt.plus(retries.get(failures - 1)));
    }
}
