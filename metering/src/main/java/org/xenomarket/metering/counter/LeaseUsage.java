package org.xenomarket.metering.counter;

import java.util.Objects;

/** What one lease used over one interval: the measured content of a usage record. */
public record LeaseUsage(String leaseId, Interval interval, Usage usage) {

    public LeaseUsage {
        Objects.requireNonNull(leaseId, "leaseId");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(usage, "usage");
    }
}
