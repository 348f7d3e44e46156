package org.xenomarket.metering.signing;

import java.util.Objects;

/** Outcome of checking a usage record against its node's key: valid, or why not. */
public record Verification(Failure failure, String detail) {

    /** Why a record was refused; stable names the market can put in a problem answer. */
    public enum Failure {
        /** The wire fields do not form a record (missing, out of range, bad base64, unknown format). */
        MALFORMED,
        /** The record names another node than the key being checked against. */
        WRONG_NODE,
        /** The signature is not the node's over these exact fields: forged or altered in transit. */
        BAD_SIGNATURE
    }

    private static final Verification VALID = new Verification(null, "signature verifies");

    public Verification {
        Objects.requireNonNull(detail, "detail");
    }

    public static Verification valid() {
        return VALID;
    }

    public static Verification invalid(Failure failure, String detail) {
        return new Verification(Objects.requireNonNull(failure, "failure"), detail);
    }

    public boolean isValid() {
        return failure == null;
    }
}
