package org.xenomarket.metering.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A node's Ed25519 key pair: generation, and the text forms in which it is stored and registered.
 *
 * <p>The public key travels as base64 of its X.509 SubjectPublicKeyInfo (44 bytes for Ed25519),
 * the form the market stores on the server and that any TLS/crypto library reads. The private
 * key is stored as base64 of its PKCS#8 encoding.
 */
public final class NodeKeys {

    /** JCA name of the algorithm; in the JDK since 15. */
    public static final String ALGORITHM = "Ed25519";

    private NodeKeys() {
    }

    /** A fresh key pair from the platform's strong random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, missing);
        }
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo: what the agent registers with the market. */
    public static String publicKeyToBase64(PublicKey key) {
        requireEd25519(key.getAlgorithm());
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Inverse of {@link #publicKeyToBase64}; throws {@link InvalidNodeKey} for anything else. */
    public static PublicKey publicKeyFromBase64(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | NullPointerException | GeneralSecurityException bad) {
            throw new InvalidNodeKey("not a base64 X.509 " + ALGORITHM + " public key", bad);
        }
    }

    /** Base64 of the PKCS#8 encoding, for the agent's key file. */
    public static String privateKeyToBase64(PrivateKey key) {
        requireEd25519(key.getAlgorithm());
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Inverse of {@link #privateKeyToBase64}; throws {@link InvalidNodeKey} for anything else. */
    public static PrivateKey privateKeyFromBase64(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | NullPointerException | GeneralSecurityException bad) {
            throw new InvalidNodeKey("not a base64 PKCS#8 " + ALGORITHM + " private key", bad);
        }
    }

    public static void requireEd25519(String algorithm) {
        // The JDK reports "EdDSA" for keys from the Ed25519 generator.
        if (!"EdDSA".equals(algorithm) && !ALGORITHM.equals(algorithm)) {
            throw new InvalidNodeKey("expected an " + ALGORITHM + " key, got " + algorithm, null);
        }
    }
}
