package org.xenomarket.metering.batch;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.xenomarket.metering.record.Identifier;
import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.RecordSignature;

/**
 * A signed batch as JSON carries it: the node once, the records oldest first, the chain's head and
 * the batch signature in standard base64. Plain fields, so any JSON mapper binds it.
 */
public record UsageBatchWire(int format, String nodeId, List<ChainedRecordWire> records, String head,
                             String signature) {

    /** Records a batch may hold: the market's limit per upload, which the agent's batch size keeps under. */
    public static final int MAX_RECORDS = 10_000;

    public static UsageBatchWire from(SignedBatch batch) {
        return new UsageBatchWire(BatchHeader.VERSION, batch.nodeId(),
                batch.records().stream().map(ChainedRecordWire::from).toList(), base64(batch.head()),
                batch.signature().toBase64());
    }

    /** The batch these fields describe; throws {@link MalformedUsageBatch} naming the field at fault. */
    public SignedBatch toBatch() {
        if (format != BatchHeader.VERSION) {
            throw new MalformedUsageBatch("format", "unsupported batch format " + format, null);
        }
        try {
            Identifier.require(nodeId, "nodeId");
        } catch (MalformedUsageRecord bad) {
            throw new MalformedUsageBatch("nodeId", bad.getMessage(), bad);
        }
        if (records == null || records.isEmpty()) {
            throw new MalformedUsageBatch("records", "a batch holds at least one record", null);
        }
        if (records.size() > MAX_RECORDS) {
            throw new MalformedUsageBatch("records", "a batch holds at most " + MAX_RECORDS + " records, this one "
                    + records.size(), null);
        }
        List<ChainedRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ChainedRecordWire wire = records.get(i);
            if (wire == null) {
                throw new MalformedUsageBatch("records[" + i + "]", "empty record", null);
            }
            try {
                parsed.add(wire.toRecord(nodeId));
            } catch (IllegalArgumentException bad) { // MalformedUsageRecord and bad base64 alike
                throw new MalformedUsageBatch("records[" + i + "]", bad.getMessage(), bad);
            }
        }
        byte[] headBytes;
        RecordSignature signatureBytes;
        try {
            headBytes = hash(head, "head");
        } catch (MalformedUsageRecord bad) {
            throw new MalformedUsageBatch("head", bad.getMessage(), bad);
        }
        try {
            signatureBytes = RecordSignature.fromBase64(signature);
        } catch (MalformedUsageRecord bad) {
            throw new MalformedUsageBatch("signature", bad.getMessage(), bad);
        }
        return new SignedBatch(nodeId, parsed, headBytes, signatureBytes);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] hash(String base64, String field) {
        if (base64 == null) {
            throw new MalformedUsageRecord(field + " is missing");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            throw new MalformedUsageRecord(field + " is not valid base64", notBase64);
        }
        if (bytes.length != HashChain.HASH_LENGTH) {
            throw new MalformedUsageRecord(field + " must be a " + HashChain.HASH_LENGTH + "-byte SHA-256, was "
                    + bytes.length + " bytes");
        }
        return bytes;
    }
}
