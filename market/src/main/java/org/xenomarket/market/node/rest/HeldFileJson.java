package org.xenomarket.market.node.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.xenomarket.market.image.rest.ImageFileJson;

/** One file in a node's verified image cache: its SHA-256 and its size in bytes. */
public record HeldFileJson(
        @NotNull @Size(max = 64) @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256,
        @NotNull @PositiveOrZero @Max(ImageFileJson.MAX_SIZE_BYTES) Long sizeBytes) {
}
