package org.xenomarket.market.sponsorterms.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A provider's terms for sponsors, as sent with PUT and answered by GET: the same shape both ways.
 * Decimals are strings, so they stay exact.
 */
public record SponsorTermsJson(
        @Schema(description = "who may buy on the provider's servers: ALL (default), ALLOW_LIST (only `sponsors`) or "
                + "DENY_LIST (all but `sponsors`)", example = "DENY_LIST") @Size(max = 16) String access,
        @Schema(description = "sponsor account ids of the allow or deny list; empty with access ALL")
        @Size(max = SponsorTermsMapper.MAX_ENTRIES) List<@Size(max = 36) String> sponsors,
        @Schema(description = "a discount (negative) or surcharge (positive) per sponsor account, on every unit price")
        @Size(max = SponsorTermsMapper.MAX_ENTRIES) List<@Valid AdjustmentJson> adjustments,
        @Schema(description = "discounts by what a sponsor spent with the provider over the last days") @Valid LoyaltyJson loyalty,
        @Schema(description = "ISO 4217 code of the loyalty tiers' amounts: the market's", example = "EUR")
        @Size(max = 3) String currency) {

    /** One sponsor's adjustment. */
    public record AdjustmentJson(
            @Schema(description = "the sponsor's account id") @Size(max = 36) String sponsorId,
            @Schema(description = "a signed fraction from -0.5 (half off) to 1 (double), not 0: -0.10 is 10% off",
                    example = "-0.10") @Size(max = 12) String adjustment) {
    }

    /** Loyalty tiers and the window of days over which spend counts. */
    public record LoyaltyJson(
            @Schema(description = "days of invoiced spend with the provider that count, 1 to 366", example = "90")
            @Min(0) @Max(366) Integer windowDays,
            @Size(max = SponsorTermsMapper.MAX_TIERS) List<@Valid TierJson> tiers) {
    }

    /** From this much spent, this much off; the highest tier reached applies. */
    public record TierJson(
            @Schema(description = "the least spend in the window, a decimal string of the market's currency",
                    example = "1000.00") @Size(max = 40) String minSpend,
            @Schema(description = "a fraction above 0, at most 0.5", example = "0.05") @Size(max = 12) String discount) {
    }
}
