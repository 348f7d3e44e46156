package org.xenomarket.metering.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * One complete Ed25519 verification of a message under a node's key. The JDK's is the default;
 * the market plugs in a faster implementation of the same algorithm (see docs/benchmarks.md).
 */
@FunctionalInterface
public interface SignatureCheck {

    /** Whether {@code signature} is the key holder's over exactly {@code message}. */
    boolean verifies(byte[] message, byte[] signature);

    /** The JDK's Ed25519 (SunEC). */
    static SignatureCheck jdk(PublicKey publicKey) {
        NodeKeys.requireEd25519(publicKey.getAlgorithm());
        return (message, signature) -> {
            try {
                Signature ed25519 = Signature.getInstance(NodeKeys.ALGORITHM);
                ed25519.initVerify(publicKey);
                ed25519.update(message);
                return ed25519.verify(signature);
            } catch (SignatureException unparsable) {
                // An encoding that is not even a point on the curve is as forged as a wrong one.
                return false;
            } catch (InvalidKeyException badKey) {
                throw new InvalidNodeKey("cannot verify with this key", badKey);
            } catch (GeneralSecurityException unexpected) {
                throw new IllegalStateException("Ed25519 verification failed to run", unexpected);
            }
        };
    }
}
