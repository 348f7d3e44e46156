package org.xenomarket.metering.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;

/**
 * A usage record as JSON carries it: plain fields, instants as ISO-8601 UTC strings
 * ({@code 2026-11-25T11:00:00Z}), the signature in standard base64.
 *
 * <p>Plain strings and numbers so any JSON mapper (Jackson in the market) binds it without
 * custom modules. {@link #toRecord()} re-derives the exact signed content, so the market verifies
 * what arrived, never a re-interpretation of it.
 */
public record UsageRecordWire(
        int format,
        String nodeId,
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
        String signature) {

    /** The wire form of {@code record}. */
    public static UsageRecordWire from(UsageRecord r) {
        return new UsageRecordWire(CanonicalEncoding.VERSION, r.nodeId(), r.sequence(), r.leaseId(),
                r.t0().toString(), r.t1().toString(), r.cpuNanos(), r.memoryMibSeconds(),
                r.netRxBytes(), r.netTxBytes(), r.diskReadBytes(), r.diskWriteBytes(),
                r.signature().toBase64());
    }

    /** The record these fields describe; throws {@link MalformedUsageRecord} naming the bad field. */
    public UsageRecord toRecord() {
        if (format != CanonicalEncoding.VERSION) {
            throw new MalformedUsageRecord("unsupported usage record format " + format);
        }
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
        UsageStatement statement = new UsageStatement(nodeId, sequence, leaseId, interval, usage);
        return new UsageRecord(statement, RecordSignature.fromBase64(signature));
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
