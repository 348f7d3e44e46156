package org.xenomarket.metering.record;

import java.time.Instant;
import java.util.Objects;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.LeaseUsage;
import org.xenomarket.metering.counter.Usage;

/**
 * What a node states one lease used over {@code [t0, t1)}, under its sequence number: the exact
 * content a usage record's signature covers.
 */
public record UsageStatement(String nodeId, long sequence, String leaseId, Interval interval, Usage usage) {

    public UsageStatement {
        Identifier.require(nodeId, "nodeId");
        Identifier.require(leaseId, "leaseId");
        if (sequence < 1) {
            throw new MalformedUsageRecord("sequence must be >= 1, was " + sequence);
        }
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(usage, "usage");
    }

    /** The statement of {@code measured} by {@code nodeId} under {@code sequence}. */
    public static UsageStatement of(String nodeId, long sequence, LeaseUsage measured) {
        return new UsageStatement(nodeId, sequence, measured.leaseId(), measured.interval(), measured.usage());
    }

    public Instant t0() {
        return interval.t0();
    }

    public Instant t1() {
        return interval.t1();
    }
}
