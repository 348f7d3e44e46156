package org.xenomarket.market.usage;

import java.math.BigInteger;

/** Metered usage over some interval: CPU time, memory-time, network and disk bytes. */
public record UsageAmounts(long cpuNanos, long memoryMibSeconds, long netRxBytes, long netTxBytes,
                           long diskReadBytes, long diskWriteBytes) {

    public static final UsageAmounts ZERO = new UsageAmounts(0, 0, 0, 0, 0, 0);

    public UsageAmounts plus(UsageAmounts o) {
        return new UsageAmounts(Math.addExact(cpuNanos, o.cpuNanos), Math.addExact(memoryMibSeconds, o.memoryMibSeconds),
                Math.addExact(netRxBytes, o.netRxBytes), Math.addExact(netTxBytes, o.netTxBytes),
                Math.addExact(diskReadBytes, o.diskReadBytes), Math.addExact(diskWriteBytes, o.diskWriteBytes));
    }

    public UsageAmounts minus(UsageAmounts o) {
        return new UsageAmounts(Math.subtractExact(cpuNanos, o.cpuNanos),
                Math.subtractExact(memoryMibSeconds, o.memoryMibSeconds), Math.subtractExact(netRxBytes, o.netRxBytes),
                Math.subtractExact(netTxBytes, o.netTxBytes), Math.subtractExact(diskReadBytes, o.diskReadBytes),
                Math.subtractExact(diskWriteBytes, o.diskWriteBytes));
    }

    /** Each amount times part/whole, rounded down; exact for any long amounts (no overflow). */
    public UsageAmounts scaled(long part, long whole) {
        return new UsageAmounts(scale(cpuNanos, part, whole), scale(memoryMibSeconds, part, whole),
                scale(netRxBytes, part, whole), scale(netTxBytes, part, whole), scale(diskReadBytes, part, whole),
                scale(diskWriteBytes, part, whole));
    }

    private static long scale(long amount, long part, long whole) {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(whole))
                .longValueExact();
    }
}
