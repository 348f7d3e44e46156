package org.xenomarket.market.site.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new site: where it is and which region it belongs to. */
public record CreateSiteRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9-]{2,64}", message = "must be 2 to 64 of a-z, 0-9 and -") String code,
        @NotBlank @Size(max = 32) String region,
        @NotBlank @Size(max = 100) String city,
        @NotBlank @Size(max = 2) @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 code") String country,
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @NotBlank @Size(max = 64) String timeZone) {
}
