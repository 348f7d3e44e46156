package org.xenomarket.market.person.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new API token: what it is for, and for how many days (the market's default, 90, when absent). */
public record CreateTokenRequest(
        @NotBlank @Size(max = 100) String label,
        @Min(1) @Max(3650)
        @Schema(description = "Days until the token expires; default 90, at most the market's maximum (365)",
                example = "30")
        Integer expiresInDays) {
}
