package org.xenomarket.metering.record;

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
        UsageStatement statement = WireFields.statement(nodeId, sequence, leaseId, t0, t1, cpuNanos,
                memoryMibSeconds, netRxBytes, netTxBytes, diskReadBytes, diskWriteBytes);
        return new UsageRecord(statement, RecordSignature.fromBase64(signature));
    }
}
