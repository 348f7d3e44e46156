package org.xenomarket.market.server.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The least a provider accepts per unit, as decimal strings in the market's currency; a missing
 * price means no floor.
 */
public record FloorPricesJson(
        @NotBlank @Size(max = 3) @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code") String currency,
        @Size(max = 19) @Pattern(regexp = DECIMAL, message = MESSAGE) String vcpuHour,
        @Size(max = 19) @Pattern(regexp = DECIMAL, message = MESSAGE) String memoryGibHour,
        @Size(max = 19) @Pattern(regexp = DECIMAL, message = MESSAGE) String diskGibHour,
        @Size(max = 19) @Pattern(regexp = DECIMAL, message = MESSAGE) String egressGb) {

    static final String DECIMAL = "\\d{1,12}(\\.\\d{1,6})?";
    static final String MESSAGE = "must be a non-negative decimal with at most 6 places, e.g. \"0.012\"";
}
