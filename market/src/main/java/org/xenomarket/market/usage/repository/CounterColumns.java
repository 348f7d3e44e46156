package org.xenomarket.market.usage.repository;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The six usage counters of many rows as six arrays, one per column, the shape an {@code unnest}
 * statement binds: records and hourly rollups carry the same counters in the same column order.
 */
final class CounterColumns {

    private final Long[] cpuNanos;
    private final Long[] memoryMibSeconds;
    private final Long[] netRxBytes;
    private final Long[] netTxBytes;
    private final Long[] diskReadBytes;
    private final Long[] diskWriteBytes;

    CounterColumns(int rows) {
        cpuNanos = new Long[rows];
        memoryMibSeconds = new Long[rows];
        netRxBytes = new Long[rows];
        netTxBytes = new Long[rows];
        diskReadBytes = new Long[rows];
        diskWriteBytes = new Long[rows];
    }

    void set(int row, long cpu, long memory, long rx, long tx, long read, long write) {
        cpuNanos[row] = cpu;
        memoryMibSeconds[row] = memory;
        netRxBytes[row] = rx;
        netTxBytes[row] = tx;
        diskReadBytes[row] = read;
        diskWriteBytes[row] = write;
    }

    /** Binds the six columns to {@code row}, in the order cpu, memory, rx, tx, read, write. */
    Tuple addTo(Tuple row) {
        return row.addValue(cpuNanos).addValue(memoryMibSeconds).addValue(netRxBytes).addValue(netTxBytes)
                .addValue(diskReadBytes).addValue(diskWriteBytes);
    }
}
