package org.xenomarket.market.image.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One file of an image: where agents fetch it (https, http or file URL) and its SHA-256. */
public record ImageFileJson(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "(?i)(https?|file):.+", message = "must be an https, http or file URL")
        String url,
        @NotNull @Size(max = 64) @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256) {
}
