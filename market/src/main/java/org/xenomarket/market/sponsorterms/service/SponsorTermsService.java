package org.xenomarket.market.sponsorterms.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.sponsorterms.SponsorScreening;
import org.xenomarket.market.sponsorterms.SponsorTerms;
import org.xenomarket.market.sponsorterms.repository.SponsorTermsDirectory;
import org.xenomarket.market.sponsorterms.repository.SponsorTermsRepository;

/**
 * Providers' terms for sponsors: set and read by the provider itself, and screened by the offer
 * finder and clearing rounds (who a provider serves, what its servers' price sheets include, and the
 * sponsors' recent spend for loyalty tiers).
 */
@ApplicationScoped
public class SponsorTermsService {

    private final SponsorTermsRepository terms;
    private final SponsorTermsDirectory directory;
    private final PricingService pricing;
    private final AuditLog audit;
    private final Clock clock;

    public SponsorTermsService(SponsorTermsRepository terms, SponsorTermsDirectory directory, PricingService pricing,
                               AuditLog audit, Clock clock) {
        this.terms = terms;
        this.directory = directory;
        this.pricing = pricing;
        this.audit = audit;
        this.clock = clock;
    }

    /** The provider's terms; a provider that set none serves every sponsor at list prices. */
    @WithSession
    public Uni<SponsorTerms> get(UUID providerId) {
        return terms.ofProviders(List.of(providerId)).map(found -> found.getOrDefault(providerId,
                SponsorTerms.none(providerId, pricing.currency().getCurrencyCode())));
    }

    /**
     * Replaces the provider's terms after checking them against what is stored: every sponsor named must
     * be a sponsor account, amounts in the market's currency. A refusal names every field at fault and
     * changes nothing.
     */
    public Uni<SponsorTerms> set(Actor actor, UUID providerId, SponsorTermsDraft draft) {
        Currency currency = pricing.currency();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (draft.currency() != null && !currency.getCurrencyCode().equals(draft.currency())) {
            errors.add(new Problem.FieldError("currency", "the market prices in " + currency.getCurrencyCode()));
        }
        List<SponsorTerms.LoyaltyTier> tiers = new ArrayList<>();
        for (int i = 0; i < draft.loyaltyTiers().size(); i++) {
            BigDecimal minSpend = draft.loyaltyTiers().get(i).minSpend();
            if (minSpend.stripTrailingZeros().scale() > MinorUnits.digits(currency)) {
                errors.add(new Problem.FieldError("loyalty.tiers[" + i + "].minSpend", currency.getCurrencyCode()
                        + " has " + MinorUnits.digits(currency) + " decimal digits"));
            } else {
                tiers.add(new SponsorTerms.LoyaltyTier(MinorUnits.round(minSpend, currency),
                        draft.loyaltyTiers().get(i).discount()));
            }
        }
        Set<UUID> named = new LinkedHashSet<>(draft.listed());
        draft.adjustments().forEach(a -> named.add(a.sponsorId()));
        return Panache.withTransaction(() -> terms.sponsorsAmong(named).chain(sponsors -> {
            for (int i = 0; i < draft.listed().size(); i++) {
                if (!sponsors.contains(draft.listed().get(i))) {
                    errors.add(new Problem.FieldError("sponsors[" + i + "]", "no sponsor account " + draft.listed().get(i)));
                }
            }
            for (int i = 0; i < draft.adjustments().size(); i++) {
                UUID sponsor = draft.adjustments().get(i).sponsorId();
                if (!sponsors.contains(sponsor)) {
                    errors.add(new Problem.FieldError("adjustments[" + i + "].sponsorId", "no sponsor account " + sponsor));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInput(errors);
            }
            Map<UUID, BigDecimal> adjustments = new HashMap<>();
            draft.adjustments().forEach(a -> adjustments.put(a.sponsorId(), a.adjustment()));
            SponsorTerms stored = new SponsorTerms(providerId, draft.access(), Set.copyOf(draft.listed()), adjustments,
                    tiers.isEmpty() ? 0 : draft.loyaltyWindowDays(), tiers, currency.getCurrencyCode());
            Instant now = clock.instant();
            return terms.replace(stored, actor.accountId(), now)
                    .chain(() -> audit.record(actor, "provider.sponsor-terms-set", "account", providerId.toString(),
                            null, describe(stored), null))
                    .replaceWith(stored);
        }));
    }

    private static String describe(SponsorTerms t) {
        return "access=" + t.access() + " listed=" + t.listed().size() + " adjustments=" + t.adjustments()
                + " loyaltyWindowDays=" + t.loyaltyWindowDays() + " tiers=" + t.loyaltyTiers();
    }

    /**
     * The terms of these providers and these sponsors' recent spend with them, for one search, match or
     * round. Runs in the caller's session.
     */
    public Uni<SponsorScreening> screening(Collection<UUID> sponsorIds, Collection<UUID> providerIds) {
        return screening(sponsorIds, terms.ofProviders(Set.copyOf(providerIds)));
    }

    /**
     * {@link #screening(Collection, Collection)} for a search whose candidates were found in the server directory
     * at {@code directoryVersion}: the providers' terms come from memory ({@link SponsorTermsDirectory}), at least
     * as new as that version. {@code NearbyCandidates.BY_QUERY} (0) reads them now.
     */
    public Uni<SponsorScreening> screening(Collection<UUID> sponsorIds, Collection<UUID> providerIds,
                                           long directoryVersion) {
        return directoryVersion <= 0 ? screening(sponsorIds, providerIds)
                : screening(sponsorIds, directory.ofProviders(providerIds, directoryVersion));
    }

    private Uni<SponsorScreening> screening(Collection<UUID> sponsorIds, Uni<Map<UUID, SponsorTerms>> providersTerms) {
        Currency currency = pricing.currency();
        return providersTerms.chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(SponsorScreening.NONE);
            }
            boolean anyTiers = found.values().stream().anyMatch(t -> !t.loyaltyTiers().isEmpty());
            List<UUID> sponsors = sponsorIds.stream().filter(java.util.Objects::nonNull).distinct().toList();
            return (anyTiers ? terms.spend(sponsors, currency.getCurrencyCode(), clock.instant())
                    : Uni.createFrom().item(Map.<UUID, Map<UUID, Long>>of()))
                    .map(spend -> new SponsorScreening(found, spend, currency));
        });
    }
}
