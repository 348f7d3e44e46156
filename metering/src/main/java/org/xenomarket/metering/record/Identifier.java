package org.xenomarket.metering.record;

/**
 * Rules for node and lease identifiers inside a record.
 *
 * <p>Printable ASCII without spaces, 1 to {@value #MAX_LENGTH} characters: one byte per character,
 * so the canonical encoding needs no Unicode normalisation and two parties can never disagree
 * about which bytes were signed.
 */
public final class Identifier {

    /** Longest identifier accepted, in characters (= bytes). */
    public static final int MAX_LENGTH = 128;

    private Identifier() {
    }

    /** Returns {@code value} if it is a valid identifier, else throws {@link MalformedUsageRecord}. */
    public static String require(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new MalformedUsageRecord(field + " is missing");
        }
        if (value.length() > MAX_LENGTH) {
            throw new MalformedUsageRecord(field + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new MalformedUsageRecord(field + " must be printable ASCII without spaces,"
                        + " found U+" + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        return value;
    }
}
