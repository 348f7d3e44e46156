package org.xenomarket.market.usage.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.usage.repository.UsageRepository;

/** Metered usage of one lease in one hour. */
public record HourlyUsageView(UUID leaseId, Instant hour, long cpuNanos, long memoryMibSeconds, long netRxBytes,
                              long netTxBytes, long diskReadBytes, long diskWriteBytes, int records) {

    static HourlyUsageView of(UsageRepository.HourlyUsage h) {
        return new HourlyUsageView(h.leaseId(), h.hour(), h.amounts().cpuNanos(), h.amounts().memoryMibSeconds(),
                h.amounts().netRxBytes(), h.amounts().netTxBytes(), h.amounts().diskReadBytes(),
                h.amounts().diskWriteBytes(), h.records());
    }
}
