package org.xenomarket.metering.counter;

import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a guest's hypervisor statistics: cumulative counters plus the memory gauge.
 *
 * <p>Counters count up from the guest's (re)start; {@code memoryMib} is what is in use at
 * {@code at}, not a counter.
 */
public record CounterSample(
        Instant at,
        long cpuNanos,
        long memoryMib,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes) {

    public CounterSample {
        Objects.requireNonNull(at, "at");
        Interval.requireWholeMillis(at, "at");
        requireNonNegative(cpuNanos, "cpuNanos");
        requireNonNegative(memoryMib, "memoryMib");
        requireNonNegative(netRxBytes, "netRxBytes");
        requireNonNegative(netTxBytes, "netTxBytes");
        requireNonNegative(diskReadBytes, "diskReadBytes");
        requireNonNegative(diskWriteBytes, "diskWriteBytes");
    }

    /** A freshly started guest: every counter at zero, no memory in use yet. */
    public static CounterSample zero(Instant at) {
        return new CounterSample(at, 0, 0, 0, 0, 0, 0);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
