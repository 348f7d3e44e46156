package org.xenomarket.metering.batch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.UsageStatement;

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
        Interval interval;
        Usage usage;
        try {
            interval = new Interval(instant(t0, "t0"), instant(t1, "t1"));
            usage = new Usage(cpuNanos, memoryMibSeconds, netRxBytes, netTxBytes, diskReadBytes, diskWriteBytes);
        } catch (MalformedUsageRecord malformed) {
            throw malformed;
        } catch (IllegalArgumentException | ArithmeticException invalid) {
            throw new MalformedUsageRecord(invalid.getMessage(), invalid);
        }
        return new ChainedRecord(new UsageStatement(nodeId, sequence, leaseId, interval, usage),
                UsageBatchWire.hash(previous, "previous"));
    }

    private static Instant instant(String text, String field) {
        if (text == null) {
            throw new MalformedUsageRecord(field + " is missing");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            throw new MalformedUsageRecord(field + " is not an ISO-8601 instant: " + text, notAnInstant);
        }
    }
}
