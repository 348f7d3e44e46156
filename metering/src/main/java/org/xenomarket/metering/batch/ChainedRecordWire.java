package org.xenomarket.metering.batch;

import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.record.WireFields;

/**
 * One record of a batch as JSON carries it: the fields of {@link org.xenomarket.metering.record.UsageRecordWire}
 * without the node (the batch names it once) and without a signature of its own, plus
 * {@code previous}, the base64 chain link before it.
 */
public record ChainedRecordWire(
        long sequence,
        String leaseId,
        String t0,
        String t1,
        long cpuNanos,
        long memoryMibSeconds,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes,
        String previous) {

    public static ChainedRecordWire from(ChainedRecord r) {
        UsageStatement s = r.statement();
        return new ChainedRecordWire(s.sequence(), s.leaseId(), s.t0().toString(), s.t1().toString(),
                s.usage().cpuNanos(), s.usage().memoryMibSeconds(), s.usage().netRxBytes(), s.usage().netTxBytes(),
                s.usage().diskReadBytes(), s.usage().diskWriteBytes(), UsageBatchWire.base64(r.previous()));
    }

    /** The record of {@code nodeId} these fields describe; throws {@link MalformedUsageRecord}. */
    ChainedRecord toRecord(String nodeId) {
        return new ChainedRecord(WireFields.statement(nodeId, sequence, leaseId, t0, t1, cpuNanos,
                memoryMibSeconds, netRxBytes, netTxBytes, diskReadBytes, diskWriteBytes),
                UsageBatchWire.hash(previous, "previous"));
    }
}
