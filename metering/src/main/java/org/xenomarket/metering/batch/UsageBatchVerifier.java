package org.xenomarket.metering.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.xenomarket.metering.batch.BatchVerification.Failure;
import org.xenomarket.metering.record.Identifier;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.SignatureCheck;

/**
 * Checks a signed batch against one node's key: one Ed25519 verification for the whole batch,
 * plus two SHA-256 per record. Any altered, missing, added or reordered record breaks the chain
 * or the signature, so the batch is refused as a whole; a batch sent again verifies again (the
 * market, not the verifier, makes its records count once).
 */
public final class UsageBatchVerifier {

    private final String nodeId;
    private final SignatureCheck check;

    public UsageBatchVerifier(String nodeId, SignatureCheck check) {
        this.nodeId = Identifier.require(nodeId, "nodeId");
        this.check = Objects.requireNonNull(check, "check");
    }

    public BatchVerification verify(SignedBatch batch) {
        if (!batch.nodeId().equals(nodeId)) {
            return BatchVerification.invalid(Failure.WRONG_NODE, "nodeId", "batch names node " + batch.nodeId()
                    + " but is checked against the key of node " + nodeId);
        }
        if (batch.records().isEmpty()) {
            return BatchVerification.invalid(Failure.BROKEN_CHAIN, "records", "a batch holds at least one record");
        }
        HashChain chain = new HashChain();
        List<byte[]> hashes = new ArrayList<>(batch.records().size());
        List<byte[]> links = new ArrayList<>(batch.records().size());
        long last = 0;
        for (int i = 0; i < batch.records().size(); i++) {
            ChainedRecord record = batch.records().get(i);
            UsageStatement s = record.statement();
            if (!s.nodeId().equals(nodeId)) {
                return BatchVerification.invalid(Failure.WRONG_NODE, "records[" + i + "]",
                        "record names node " + s.nodeId() + " in a batch of node " + nodeId);
            }
            if (s.sequence() <= last) {
                return BatchVerification.invalid(Failure.OUT_OF_ORDER, "records[" + i + "].sequence",
                        "sequence " + s.sequence() + " follows " + last + ": records must be in increasing sequence"
                                + " order, so this batch was reordered or repeats a record");
            }
            last = s.sequence();
            if (!Arrays.equals(record.previous(), chain.head())) {
                return BatchVerification.invalid(Failure.BROKEN_CHAIN, "records[" + i + "].previous",
                        "record " + i + " (sequence " + s.sequence() + ") names a previous hash that is not the"
                                + " chain's link before it: a record before it was altered, removed or moved");
            }
            byte[] hash = chain.recordHash(s);
            hashes.add(hash);
            links.add(chain.append(hash));
        }
        byte[] head = chain.head();
        if (!Arrays.equals(batch.head(), head)) {
            return BatchVerification.invalid(Failure.BROKEN_CHAIN, "head", "the batch's head is not the hash chain"
                    + " of its records: the last record was altered or records were cut from the end");
        }
        if (!check.verifies(batch.signedBytes(head), batch.signature().bytes())) {
            return BatchVerification.invalid(Failure.BAD_SIGNATURE, "signature", "batch signature does not match"
                    + " its records under the key of node " + nodeId + ": forged or altered after signing");
        }
        return BatchVerification.valid(hashes, links);
    }
}
