package org.xenomarket.metering.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.util.Objects;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.RecordSignature;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;

/** Signs usage statements with the node's Ed25519 private key. */
public final class UsageRecordSigner {

    private final PrivateKey privateKey;

    public UsageRecordSigner(PrivateKey privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        NodeKeys.requireEd25519(privateKey.getAlgorithm());
    }

    /** The record: {@code statement} plus an Ed25519 signature over its canonical encoding. */
    public UsageRecord sign(UsageStatement statement) {
        try {
            // A new JCA Signature per call: those objects are not thread-safe, and
            // Ed25519 signing is cheap next to the fsync every record costs anyway.
            java.security.Signature ed25519 = java.security.Signature.getInstance(NodeKeys.ALGORITHM);
            ed25519.initSign(privateKey);
            ed25519.update(CanonicalEncoding.encode(statement));
            return new UsageRecord(statement, RecordSignature.of(ed25519.sign()));
        } catch (InvalidKeyException badKey) {
            throw new InvalidNodeKey("cannot sign with this key", badKey);
        } catch (GeneralSecurityException unexpected) {
            throw new IllegalStateException("Ed25519 signing failed", unexpected);
        }
    }
}
