package org.xenomarket.metering.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.util.Objects;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.Identifier;
import org.xenomarket.metering.record.MalformedUsageRecord;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.signing.Verification.Failure;

/** Checks usage records against one node's registered Ed25519 public key. */
public final class UsageRecordVerifier {

    private final String nodeId;
    private final PublicKey publicKey;

    /** A verifier for records of {@code nodeId}, whose registered key is {@code publicKey}. */
    public UsageRecordVerifier(String nodeId, PublicKey publicKey) {
        this.nodeId = Identifier.require(nodeId, "nodeId");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        NodeKeys.requireEd25519(publicKey.getAlgorithm());
    }

    /** Verifies a record as received on the wire: first that it is well formed, then its signature. */
    public Verification verify(UsageRecordWire wire) {
        UsageRecord record;
        try {
            record = wire.toRecord();
        } catch (MalformedUsageRecord malformed) {
            return Verification.invalid(Failure.MALFORMED, malformed.getMessage());
        }
        return verify(record);
    }

    /** Verifies that {@code record} is this node's and that its signature covers exactly its fields. */
    public Verification verify(UsageRecord record) {
        if (!record.nodeId().equals(nodeId)) {
            return Verification.invalid(Failure.WRONG_NODE,
                    "record names node " + record.nodeId() + " but is checked against the key of node " + nodeId);
        }
        try {
            java.security.Signature ed25519 = java.security.Signature.getInstance(NodeKeys.ALGORITHM);
            ed25519.initVerify(publicKey);
            ed25519.update(CanonicalEncoding.encode(record.statement()));
            if (ed25519.verify(record.signature().bytes())) {
                return Verification.valid();
            }
            return badSignature();
        } catch (SignatureException unparsable) {
            // An encoding that is not even a point on the curve is as forged as a wrong one.
            return badSignature();
        } catch (InvalidKeyException badKey) {
            throw new InvalidNodeKey("cannot verify with this key", badKey);
        } catch (GeneralSecurityException unexpected) {
            throw new IllegalStateException("Ed25519 verification failed to run", unexpected);
        }
    }

    private Verification badSignature() {
        return Verification.invalid(Failure.BAD_SIGNATURE, "signature does not match the record's fields under the"
                + " key of node " + nodeId + ": the record was forged or altered after signing");
    }
}
