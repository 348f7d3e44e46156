package org.xenomarket.market.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret half of an API token. Secrets carry 256 random bits, so a plain SHA-256 is a safe
 * way to store them (no salt or slow hash is needed against guessing).
 */
public final class TokenSecret {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "xm_";

    private TokenSecret() {
    }

    /** A fresh random token, as the user will send it. */
    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The hash under which a token is stored and looked up. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
