package org.xenomarket.market.site.rest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A new site: where it is and which region it belongs to. */
public record CreateSiteRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9-]{2,64}", message = "must be 2 to 64 of a-z, 0-9 and -") String code,
        @NotBlank String region,
        @NotBlank String city,
        @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 code") String country,
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @NotBlank String timeZone) {
}
