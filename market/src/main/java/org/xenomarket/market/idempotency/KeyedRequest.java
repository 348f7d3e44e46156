package org.xenomarket.market.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.xenomarket.market.problem.InvalidInput;

/**
 * A request an account sent with an Idempotency-Key: the operation ("POST /api/v1/bids") and a
 * SHA-256 of its parameters as the client sent them (not as resolved at a given time, so a retry
 * hours later still matches), which tells a retry from another request reusing the key.
 */
public record KeyedRequest(UUID accountId, String key, String operation, byte[] parametersHash) {

    /** The header that carries the key. */
    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_KEY_LENGTH = 200;
    /** Printable ASCII without spaces at the ends: safe in logs and headers (a UUID, a ULID, "order-17/retry"). */
    private static final Pattern WELL_FORMED = Pattern.compile("[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?");

    /** The request of {@code accountId} under {@code key}; a key that is blank, too long or not printable is refused. */
    public static KeyedRequest of(UUID accountId, String key, String operation, byte[] parameters) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !WELL_FORMED.matcher(key).matches()) {
            throw new InvalidInput(HEADER, "must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters, not starting or ending with a space");
        }
        return new KeyedRequest(accountId, key, operation, sha256(operation, parameters));
    }

    private static byte[] sha256(String operation, byte[] parameters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(parameters);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
