package org.xenomarket.market.usage.service;

import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.xenomarket.metering.signing.InvalidNodeKey;
import org.xenomarket.metering.signing.SignatureCheck;

/**
 * Ed25519 verification by BouncyCastle: the same complete RFC 8032 check as the JDK's, measured
 * about ten times as fast here (docs/benchmarks.md), and verification is what bounds ingestion.
 */
final class BouncyCastleEd25519 {

    /** An X.509 SubjectPublicKeyInfo of an Ed25519 key: this 12-byte header, then the 32-byte key. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private BouncyCastleEd25519() {
    }

    static SignatureCheck check(PublicKey publicKey) {
        // The header carries the Ed25519 algorithm identifier (1.3.101.112), so this also checks the algorithm.
        byte[] x509 = publicKey.getEncoded();
        if (x509.length != X509_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                || !Arrays.equals(x509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new InvalidNodeKey("not an X.509 Ed25519 public key", null);
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(x509, X509_PREFIX.length);
        } catch (IllegalArgumentException notAPoint) {
            throw new InvalidNodeKey("not an Ed25519 public key", notAPoint);
        }
        return (message, signature) -> {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        };
    }
}
