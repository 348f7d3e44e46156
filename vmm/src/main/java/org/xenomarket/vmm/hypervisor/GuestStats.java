package org.xenomarket.vmm.hypervisor;

import java.time.Instant;

/**
 * Cumulative counters of one guest since it started, as metering reads them; usage is the
 * difference between two samples.
 */
public record GuestStats(
        LeaseId lease,
        Instant sampledAt,
        long cpuTimeNs,
        long memoryMib,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes) {
}
