package org.xenomarket.market.image.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * One file of an image: where agents fetch it (https, http or file URL), its SHA-256, and its size
 * in bytes (optional; when given, agents check it as well).
 */
public record ImageFileJson(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "(?i)(https?|file):.+", message = "must be an https, http or file URL")
        String url,
        @NotNull @Size(max = 64) @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256,
        @Positive @Max(MAX_SIZE_BYTES) Long sizeBytes) {

    /** 1 TiB: no guest image is larger. */
    public static final long MAX_SIZE_BYTES = 1L << 40;

    public ImageFileJson(String url, String sha256) {
        this(url, sha256, null);
    }
}
