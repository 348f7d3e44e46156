package org.xenomarket.metering.counter;

/** Resource quantities consumed over some interval; every quantity is a non-negative exact count. */
public record Usage(
        long cpuNanos,
        long memoryMibSeconds,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes) {

    /** Nothing used. */
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0);

    public Usage {
        requireNonNegative(cpuNanos, "cpuNanos");
        requireNonNegative(memoryMibSeconds, "memoryMibSeconds");
        requireNonNegative(netRxBytes, "netRxBytes");
        requireNonNegative(netTxBytes, "netTxBytes");
        requireNonNegative(diskReadBytes, "diskReadBytes");
        requireNonNegative(diskWriteBytes, "diskWriteBytes");
    }

    /** Sum of both; throws {@link ArithmeticException} rather than wrap around. */
    public Usage plus(Usage other) {
        return new Usage(
                Math.addExact(cpuNanos, other.cpuNanos),
                Math.addExact(memoryMibSeconds, other.memoryMibSeconds),
                Math.addExact(netRxBytes, other.netRxBytes),
                Math.addExact(netTxBytes, other.netTxBytes),
                Math.addExact(diskReadBytes, other.diskReadBytes),
                Math.addExact(diskWriteBytes, other.diskWriteBytes));
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
