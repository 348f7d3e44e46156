package org.xenomarket.vmm.hypervisor;

import java.time.Instant;

/**
 * Cumulative counters of one guest since it started, as metering reads them; usage is the
 * difference between two samples.
 *
 * @param startedAt when the guest was asked to start, at whole milliseconds: its counters were all
 *                  zero then, as the guest did not exist yet. Null when the driver does not know
 *                  (a guest started by an agent that did not keep it).
 */
public record GuestStats(
        LeaseId lease,
        Instant sampledAt,
        long cpuTimeNs,
        long memoryMib,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes,
        Instant startedAt) {
}
