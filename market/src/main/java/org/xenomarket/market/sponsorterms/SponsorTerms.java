package org.xenomarket.market.sponsorterms;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.pricing.ProviderSponsorTerms;

/**
 * A provider's own terms for sponsors: who may buy on its servers ({@code access} with the {@code listed}
 * sponsors), a discount or surcharge per sponsor account (signed fractions), and loyalty tiers by what a
 * sponsor spent with the provider over the last {@code loyaltyWindowDays} days (minor units of
 * {@code currency}). Access is the market's to enforce; the adjustments and tiers go to the pricing rules.
 */
public record SponsorTerms(UUID providerId, SponsorAccess access, Set<UUID> listed, Map<UUID, BigDecimal> adjustments,
                           int loyaltyWindowDays, List<LoyaltyTier> loyaltyTiers, String currency) {

    /** From {@code minSpendMinor} spent with the provider in the window, {@code discount} off. */
    public record LoyaltyTier(long minSpendMinor, BigDecimal discount) {
    }

    public SponsorTerms {
        listed = Set.copyOf(listed);
        adjustments = Map.copyOf(adjustments);
        loyaltyTiers = List.copyOf(loyaltyTiers);
    }

    /** The terms of a provider that set none: every sponsor, list prices. */
    public static SponsorTerms none(UUID providerId, String currency) {
        return new SponsorTerms(providerId, SponsorAccess.ALL, Set.of(), Map.of(), 0, List.of(), currency);
    }

    /** Whether the provider's servers take bids and quotes from this sponsor; anonymous previews see every server. */
    public boolean serves(UUID sponsorId) {
        if (sponsorId == null) {
            return true;
        }
        return switch (access) {
            case ALL -> true;
            case ALLOW_LIST -> listed.contains(sponsorId);
            case DENY_LIST -> !listed.contains(sponsorId);
        };
    }

    /** What the pricing rules see of these terms: adjustments by sponsor id, tiers in the currency's major units. */
    public ProviderSponsorTerms forPricing() {
        Map<String, BigDecimal> bySponsor = new TreeMap<>();
        adjustments.forEach((sponsor, a) -> bySponsor.put(sponsor.toString(), a));
        Currency c = Currency.getInstance(currency);
        return new ProviderSponsorTerms(bySponsor, loyaltyTiers.stream()
                .map(t -> new ProviderSponsorTerms.LoyaltyTier(MinorUnits.toAmount(t.minSpendMinor(), c), t.discount()))
                .toList(), loyaltyWindowDays);
    }
}
