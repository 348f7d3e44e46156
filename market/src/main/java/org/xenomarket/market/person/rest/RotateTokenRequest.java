package org.xenomarket.market.person.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Rotating a token: optionally, for how many days the new one is good (else the old one's lifetime). */
public record RotateTokenRequest(
        @Min(1) @Max(3650)
        @Schema(description = "Days until the new token expires; default the old token's lifetime, at most the "
                + "market's maximum (365)", example = "90")
        Integer expiresInDays) {
}
