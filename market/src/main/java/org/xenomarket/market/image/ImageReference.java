package org.xenomarket.market.image;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a bid names a catalogue image: by its name, by its id, or by content as
 * {@code sha256:<64 hex digits>} (the SHA-256 of its disk, or of its kernel).
 */
public record ImageReference(Kind kind, String value) {

    /** Which of the three ways the reference uses. */
    public enum Kind {
        NAME,
        ID,
        SHA256
    }

    private static final String SHA256_PREFIX = "sha256:";
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Reads a reference; a {@code sha256:} one that is not 64 hex digits is refused with why. */
    public static ImageReference parse(String text) {
        String trimmed = text.trim();
        if (trimmed.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())) {
            String hex = trimmed.substring(SHA256_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (!HEX_SHA256.matcher(hex).matches()) {
                throw new IllegalArgumentException("an image named by content is sha256: and 64 hex digits");
            }
            return new ImageReference(Kind.SHA256, hex);
        }
        if (UUID_TEXT.matcher(trimmed).matches()) {
            return new ImageReference(Kind.ID, UUID.fromString(trimmed).toString());
        }
        return new ImageReference(Kind.NAME, trimmed);
    }

    /** The reference as a sentence fragment, for a refusal. */
    public String describe() {
        return switch (kind) {
            case NAME -> "named '" + value + "'";
            case ID -> "with id " + value;
            case SHA256 -> "with SHA-256 " + value;
        };
    }
}
