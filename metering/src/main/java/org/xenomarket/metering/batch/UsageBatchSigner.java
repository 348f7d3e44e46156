package org.xenomarket.metering.batch;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xenomarket.metering.record.RecordSignature;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.InvalidNodeKey;
import org.xenomarket.metering.signing.NodeKeys;

/** Chains a node's statements by hash and signs the batch once, over the chain's head. */
public final class UsageBatchSigner {

    private final PrivateKey privateKey;

    public UsageBatchSigner(PrivateKey privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        NodeKeys.requireEd25519(privateKey.getAlgorithm());
    }

    /**
     * The signed batch of {@code statements}: at least one, all of one node, sequences strictly
     * increasing (the spool hands them out in that order).
     */
    public SignedBatch sign(List<UsageStatement> statements) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
        String nodeId = statements.get(0).nodeId();
        HashChain chain = new HashChain();
        List<ChainedRecord> records = new ArrayList<>(statements.size());
        long last = 0;
        for (UsageStatement s : statements) {
            if (!s.nodeId().equals(nodeId)) {
                throw new IllegalArgumentException("a batch holds one node's records; found " + s.nodeId()
                        + " beside " + nodeId);
            }
            if (s.sequence() <= last) {
                throw new IllegalArgumentException("sequences must increase within a batch: " + s.sequence()
                        + " after " + last);
            }
            last = s.sequence();
            records.add(new ChainedRecord(s, chain.head()));
            chain.append(chain.recordHash(s));
        }
        byte[] head = chain.head();
        byte[] signed = BatchHeader.encode(nodeId, statements.size(), statements.get(0).sequence(), last, head);
        try {
            Signature ed25519 = Signature.getInstance(NodeKeys.ALGORITHM);
            ed25519.initSign(privateKey);
            ed25519.update(signed);
            return new SignedBatch(nodeId, records, head, RecordSignature.of(ed25519.sign()));
        } catch (InvalidKeyException badKey) {
            throw new InvalidNodeKey("cannot sign with this key", badKey);
        } catch (GeneralSecurityException unexpected) {
            throw new IllegalStateException("Ed25519 signing failed", unexpected);
        }
    }
}
