package org.xenomarket.metering.record;

import java.time.Instant;
import java.util.Objects;

/** A node's signed statement of one lease's usage over {@code [t0, t1)}; unique per (node, sequence). */
public record UsageRecord(UsageStatement statement, RecordSignature signature) {

    public UsageRecord {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(signature, "signature");
    }

    public String nodeId() {
        return statement.nodeId();
    }

    public long sequence() {
        return statement.sequence();
    }

    public String leaseId() {
        return statement.leaseId();
    }

    public Instant t0() {
        return statement.interval().t0();
    }

    public Instant t1() {
        return statement.interval().t1();
    }

    public long cpuNanos() {
        return statement.usage().cpuNanos();
    }

    public long memoryMibSeconds() {
        return statement.usage().memoryMibSeconds();
    }

    public long netRxBytes() {
        return statement.usage().netRxBytes();
    }

    public long netTxBytes() {
        return statement.usage().netTxBytes();
    }

    public long diskReadBytes() {
        return statement.usage().diskReadBytes();
    }

    public long diskWriteBytes() {
        return statement.usage().diskWriteBytes();
    }
}
