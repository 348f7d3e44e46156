package org.xenomarket.market.node;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.xenomarket.market.problem.InvalidInput;

/**
 * Checks a node's public key: base64 of an X.509 SubjectPublicKeyInfo holding an Ed25519 key, the
 * form the agent's {@code NodeKeys} writes. Checked at registration so that a key the market could
 * never verify usage signatures with is refused at once, not when the first usage arrives.
 */
public final class NodePublicKey {

    private NodePublicKey() {
    }

    /** The key in canonical base64, or {@link InvalidInput} naming {@code field}. */
    public static String check(String field, String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64.trim());
            byte[] canonical = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)).getEncoded();
            return Base64.getEncoder().encodeToString(canonical);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidInput(field, "is not a base64 X.509 Ed25519 public key");
        }
    }
}
