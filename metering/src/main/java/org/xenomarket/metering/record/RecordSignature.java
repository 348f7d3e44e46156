package org.xenomarket.metering.record;

import java.util.Arrays;
import java.util.Base64;

/** An Ed25519 signature: exactly 64 bytes, immutable, compared by value. */
public final class RecordSignature {

    /** Length of every Ed25519 signature (RFC 8032). */
    public static final int LENGTH = 64;

    private final byte[] bytes;

    private RecordSignature(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}; throws {@link MalformedUsageRecord} unless it is 64 bytes. */
    public static RecordSignature of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new MalformedUsageRecord("signature must be " + LENGTH + " bytes, was "
                    + (bytes == null ? "missing" : bytes.length + " bytes"));
        }
        return new RecordSignature(bytes.clone());
    }

    /** Parses standard base64 (RFC 4648, with padding), as carried on the wire. */
    public static RecordSignature fromBase64(String base64) {
        if (base64 == null) {
            throw new MalformedUsageRecord("signature is missing");
        }
        try {
            return of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException notBase64) {
            if (notBase64 instanceof MalformedUsageRecord malformed) {
                throw malformed;
            }
            throw new MalformedUsageRecord("signature is not valid base64", notBase64);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordSignature that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RecordSignature[" + toBase64() + "]";
    }
}
