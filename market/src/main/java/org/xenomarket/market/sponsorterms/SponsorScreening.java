package org.xenomarket.market.sponsorterms;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.pricing.ProviderSponsorTerms;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Providers' terms for sponsors as a search, a match or a round needs them: whether a provider serves a
 * sponsor, the terms its servers are priced under, and each sponsor's recent spend with each provider
 * (what loyalty tiers price by). Built by {@code SponsorTermsService.screening}; immutable.
 */
public final class SponsorScreening {

    /** Nobody has terms: every provider serves every sponsor at list prices. */
    public static final SponsorScreening NONE = new SponsorScreening(Map.of(), Map.of(), Currency.getInstance("EUR"));

    private final Map<UUID, SponsorTerms> termsByProvider;
    private final Map<UUID, ProviderSponsorTerms> pricingByProvider = new HashMap<>();
    private final Map<UUID, Map<String, BigDecimal>> spendBySponsor = new HashMap<>();

    public SponsorScreening(Map<UUID, SponsorTerms> termsByProvider, Map<UUID, Map<UUID, Long>> spendMinor,
                            Currency currency) {
        this.termsByProvider = Map.copyOf(termsByProvider);
        termsByProvider.forEach((provider, terms) -> pricingByProvider.put(provider, terms.forPricing()));
        spendMinor.forEach((sponsor, byProvider) -> {
            Map<String, BigDecimal> spend = new HashMap<>();
            byProvider.forEach((provider, minor) -> spend.put(provider.toString(), MinorUnits.toAmount(minor, currency)));
            spendBySponsor.put(sponsor, Map.copyOf(spend));
        });
    }

    /** Whether the provider's servers take bids and quotes from the sponsor (null: an anonymous preview, yes). */
    public boolean serves(UUID providerId, UUID sponsorId) {
        SponsorTerms terms = termsByProvider.get(providerId);
        return terms == null || terms.serves(sponsorId);
    }

    /** What the pricing rules see of the provider's terms. */
    public ProviderSponsorTerms pricingTerms(UUID providerId) {
        return pricingByProvider.getOrDefault(providerId, ProviderSponsorTerms.NONE);
    }

    /** The request with its sponsor's recent spend with each provider, for loyalty tiers. */
    public QuoteRequest withSpend(QuoteRequest request) {
        if (request.sponsorId() == null) {
            return request;
        }
        Map<String, BigDecimal> spend = spendBySponsor.get(UUID.fromString(request.sponsorId()));
        return spend == null ? request : request.withSponsorSpend(spend);
    }
}
