package org.xenomarket.metering.signing;

import java.security.PublicKey;
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
    private final SignatureCheck check;

    /** A verifier for records of {@code nodeId}, whose registered key is {@code publicKey}, by the JDK's Ed25519. */
    public UsageRecordVerifier(String nodeId, PublicKey publicKey) {
        this(nodeId, SignatureCheck.jdk(Objects.requireNonNull(publicKey, "publicKey")));
    }

    /** A verifier for records of {@code nodeId} whose signatures {@code check} verifies under the node's key. */
    public UsageRecordVerifier(String nodeId, SignatureCheck check) {
        this.nodeId = Identifier.require(nodeId, "nodeId");
        this.check = Objects.requireNonNull(check, "check");
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
        return check.verifies(CanonicalEncoding.encode(record.statement()), record.signature().bytes())
                ? Verification.valid() : badSignature();
    }

    private Verification badSignature() {
        return Verification.invalid(Failure.BAD_SIGNATURE, "signature does not match the record's fields under the"
                + " key of node " + nodeId + ": the record was forged or altered after signing");
    }
}
