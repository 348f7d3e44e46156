package org.xenomarket.market.sponsorterms.service;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.sponsorterms.SponsorAccess;

/**
 * A provider's terms as sent, parsed but not yet checked against what is stored (that the sponsors
 * exist, the currency is the market's); list order is kept so a refusal names the entry at fault.
 */
public record SponsorTermsDraft(SponsorAccess access, List<UUID> listed, List<Adjustment> adjustments,
                                int loyaltyWindowDays, List<Tier> loyaltyTiers, String currency) {

    public record Adjustment(UUID sponsorId, BigDecimal adjustment) {
    }

    public record Tier(BigDecimal minSpend, BigDecimal discount) {
    }
}
