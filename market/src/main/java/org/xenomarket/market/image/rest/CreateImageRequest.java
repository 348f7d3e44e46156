package org.xenomarket.market.image.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A new catalogue image: a kernel with initrd and command line, or a disk with its format
 * (raw or qcow2); exactly one of the two.
 */
public record CreateImageRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9._-]{1,63}", message = "must be 2 to 64 of a-z, 0-9, '.', '_' and '-'")
        String name,
        @Valid ImageFileJson kernel,
        @Valid ImageFileJson initrd,
        @Size(max = 1024) String cmdline,
        @Valid ImageFileJson disk,
        @Size(max = 5) @Pattern(regexp = "(?i)raw|qcow2", message = "must be raw or qcow2") String diskFormat) {
}
