package org.xenomarket.metering.batch;

import java.util.List;
import java.util.Objects;
import org.xenomarket.metering.record.RecordSignature;

/**
 * A node's batch of usage records, oldest first, chained by hash, with one Ed25519 signature over
 * the {@link BatchHeader} (node, count, first and last sequence, chain head).
 */
public record SignedBatch(String nodeId, List<ChainedRecord> records, byte[] head, RecordSignature signature) {

    public SignedBatch {
        Objects.requireNonNull(nodeId, "nodeId");
        records = List.copyOf(records);
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(signature, "signature");
    }

    /** The bytes {@link #signature()} covers, with {@code head} as the chain's head. */
    byte[] signedBytes(byte[] chainHead) {
        return BatchHeader.encode(nodeId, records.size(), records.get(0).statement().sequence(),
                records.get(records.size() - 1).statement().sequence(), chainHead);
    }
}
