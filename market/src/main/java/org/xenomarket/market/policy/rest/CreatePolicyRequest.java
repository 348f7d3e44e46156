package org.xenomarket.market.policy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A new policy version: based on an existing one (the active one by default), with other tables
 * (finance, operators), other DRL sources (operators only) and the golden quotes it must
 * reproduce (the base version's when absent).
 */
public record CreatePolicyRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'")
        String version,
        @Size(max = 64) String basedOn,
        @Size(max = 500) String note,
        @Size(max = 64) Map<String, @Size(max = 1_000_000) String> drlSources,
        JsonNode tables,
        JsonNode goldenQuotes) {
}
