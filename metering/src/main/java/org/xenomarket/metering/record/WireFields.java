package org.xenomarket.metering.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;

/**
 * Reading a usage statement from the plain fields JSON carries, shared by the record signed alone
 * ({@link UsageRecordWire}) and the record of a signed batch (the batch package's wire record), so
 * both refuse the same bad input with the same words.
 */
public final class WireFields {

    private WireFields() {
    }

    /** The statement these fields describe; throws {@link MalformedUsageRecord} naming the bad field. */
    public static UsageStatement statement(String nodeId, long sequence, String leaseId, String t0, String t1,
            long cpuNanos, long memoryMibSeconds, long netRxBytes, long netTxBytes,
            long diskReadBytes, long diskWriteBytes) {
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
        return new UsageStatement(nodeId, sequence, leaseId, interval, usage);
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
