package org.xenomarket.market.sponsorterms.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.xenomarket.market.database.SessionSql;
import org.xenomarket.market.sponsorterms.SponsorAccess;
import org.xenomarket.market.sponsorterms.SponsorTerms;

/**
 * Providers' terms for sponsors, and what a sponsor spent with each provider lately. Runs on the
 * caller's Hibernate session (reads) or transaction (writes), as the offer finder and clearing do.
 */
@ApplicationScoped
public class SponsorTermsRepository {

    private static final String IDS = "CAST(string_to_array(:ids, ',') AS uuid[])";

    // The reads run with SessionSql (the ids as one uuid[] parameter), not as Hibernate native queries: every
    // offer search asks for the terms of its providers, and each native query with a result class added an
    // entry to Hibernate's plan cache that no later execution found (docs/benchmarks.md, "Fourth pass").
    private static final String TERMS = "SELECT provider_id, access, loyalty_window_days, currency"
            + " FROM provider_sponsor_terms WHERE provider_id = ANY ($1)";
    private static final String LISTED = "SELECT provider_id, sponsor_id FROM provider_sponsor_listed"
            + " WHERE provider_id = ANY ($1)";
    private static final String ADJUSTMENTS = "SELECT provider_id, sponsor_id, adjustment FROM provider_sponsor_adjustment"
            + " WHERE provider_id = ANY ($1)";
    private static final String TIERS = "SELECT provider_id, min_spend_minor, discount FROM provider_loyalty_tier"
            + " WHERE provider_id = ANY ($1) ORDER BY min_spend_minor";
    // every provider's, for the copy kept in memory (SponsorTermsDirectory)
    private static final String ALL_TERMS = "SELECT provider_id, access, loyalty_window_days, currency"
            + " FROM provider_sponsor_terms";
    private static final String ALL_LISTED = "SELECT provider_id, sponsor_id FROM provider_sponsor_listed";
    private static final String ALL_ADJUSTMENTS = "SELECT provider_id, sponsor_id, adjustment"
            + " FROM provider_sponsor_adjustment";
    private static final String ALL_TIERS = "SELECT provider_id, min_spend_minor, discount FROM provider_loyalty_tier"
            + " ORDER BY provider_id, min_spend_minor";

    private static final String SPONSORS_AMONG = "SELECT id FROM account WHERE kind = 'SPONSOR' AND id = ANY ($1)";

    private static final String UPSERT = """
            INSERT INTO provider_sponsor_terms (provider_id, access, loyalty_window_days, currency, updated_by, updated_at)
            VALUES (:provider, :access, :days, :currency, :by, CAST(:at AS timestamptz))
            ON CONFLICT (provider_id) DO UPDATE SET access = EXCLUDED.access,
                loyalty_window_days = EXCLUDED.loyalty_window_days, currency = EXCLUDED.currency,
                updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
            """;
    private static final String CLEAR_LISTED = "DELETE FROM provider_sponsor_listed WHERE provider_id = :provider";
    private static final String CLEAR_ADJUSTMENTS = "DELETE FROM provider_sponsor_adjustment WHERE provider_id = :provider";
    private static final String CLEAR_TIERS = "DELETE FROM provider_loyalty_tier WHERE provider_id = :provider";
    private static final String ADD_LISTED = "INSERT INTO provider_sponsor_listed (provider_id, sponsor_id)"
            + " SELECT :provider, unnest(" + IDS + ")";
    private static final String ADD_ADJUSTMENT = "INSERT INTO provider_sponsor_adjustment (provider_id, sponsor_id, adjustment)"
            + " VALUES (:provider, :sponsor, :adjustment)";
    private static final String ADD_TIER = "INSERT INTO provider_loyalty_tier (provider_id, min_spend_minor, discount)"
            + " VALUES (:provider, :min, :discount)";

    /*
     * What each sponsor was invoiced for leases on each provider's servers (credits subtracted), over the
     * provider's loyalty window up to :now; only providers with loyalty tiers, in the market's currency.
     */
    private static final String SPEND = """
            SELECT i.sponsor_id, l.provider_id, sum(l.amount_minor)
            FROM provider_sponsor_terms t
            JOIN invoice_line l ON l.provider_id = t.provider_id
            JOIN invoice i ON i.id = l.invoice_id
            WHERE t.loyalty_window_days > 0
              AND i.sponsor_id = ANY ($1)
              AND l.currency = $2
              AND l.charged_to > CAST($3 AS timestamptz) - make_interval(days => t.loyalty_window_days)
              AND l.charged_from <= CAST($3 AS timestamptz)
            GROUP BY i.sponsor_id, l.provider_id
            """;

    /**
     * The terms of these providers, by provider; providers that set none are absent. In the caller's session,
     * which must hold no pending changes (nothing is flushed first).
     */
    public Uni<Map<UUID, SponsorTerms>> ofProviders(Collection<UUID> providerIds) {
        if (providerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return read(TERMS, LISTED, ADJUSTMENTS, TIERS, (Object) providerIds.toArray(UUID[]::new));
    }

    /**
     * Every provider's terms, by provider (providers that set none are absent). In the caller's session, which
     * must hold no pending changes.
     */
    public Uni<Map<UUID, SponsorTerms>> all() {
        return read(ALL_TERMS, ALL_LISTED, ALL_ADJUSTMENTS, ALL_TIERS);
    }

    /** The terms the four statements read (each given {@code params}); the other three only when there are any. */
    private static Uni<Map<UUID, SponsorTerms>> read(String termsSql, String listedSql, String adjustmentsSql,
                                                     String tiersSql, Object... params) {
        return SessionSql.select(termsSql, params)
                .chain(terms -> terms.isEmpty() ? Uni.createFrom().item(Map.<UUID, SponsorTerms>of())
                        : SessionSql.select(listedSql, params)
                        .chain(listed -> SessionSql.select(adjustmentsSql, params)
                                .chain(adjustments -> SessionSql.select(tiersSql, params)
                                        .map(tiers -> assemble(terms, listed, adjustments, tiers)))));
    }

    private static Map<UUID, SponsorTerms> assemble(List<Object[]> terms, List<Object[]> listed,
                                                    List<Object[]> adjustments, List<Object[]> tiers) {
        Map<UUID, Set<UUID>> listedBy = new HashMap<>();
        listed.forEach(r -> listedBy.computeIfAbsent((UUID) r[0], k -> new HashSet<>()).add((UUID) r[1]));
        Map<UUID, Map<UUID, BigDecimal>> adjustmentsBy = new HashMap<>();
        adjustments.forEach(r -> adjustmentsBy.computeIfAbsent((UUID) r[0], k -> new HashMap<>())
                .put((UUID) r[1], SessionSql.decimal(r[2]).stripTrailingZeros()));
        Map<UUID, List<SponsorTerms.LoyaltyTier>> tiersBy = new HashMap<>();
        tiers.forEach(r -> tiersBy.computeIfAbsent((UUID) r[0], k -> new ArrayList<>())
                .add(new SponsorTerms.LoyaltyTier(((Number) r[1]).longValue(), SessionSql.decimal(r[2]).stripTrailingZeros())));
        Map<UUID, SponsorTerms> out = new HashMap<>();
        for (Object[] r : terms) {
            UUID provider = (UUID) r[0];
            out.put(provider, new SponsorTerms(provider, SponsorAccess.valueOf((String) r[1]),
                    listedBy.getOrDefault(provider, Set.of()), adjustmentsBy.getOrDefault(provider, Map.of()),
                    ((Number) r[2]).intValue(), tiersBy.getOrDefault(provider, List.of()), String.valueOf(r[3]).trim()));
        }
        return out;
    }

    /** Which of these ids are sponsor accounts (in the caller's session, before any change of it). */
    public Uni<Set<UUID>> sponsorsAmong(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return SessionSql.select(SPONSORS_AMONG, (Object) ids.toArray(UUID[]::new))
                .map(rows -> rows.stream().map(r -> (UUID) r[0]).collect(Collectors.toUnmodifiableSet()));
    }

    /** Replaces the provider's terms, in the caller's transaction. */
    public Uni<Void> replace(SponsorTerms terms, UUID updatedBy, Instant at) {
        UUID provider = terms.providerId();
        return Panache.getSession().chain(session -> session.createNativeQuery(UPSERT)
                .setParameter("provider", provider).setParameter("access", terms.access().name())
                .setParameter("days", terms.loyaltyWindowDays()).setParameter("currency", terms.currency())
                .setParameter("by", updatedBy).setParameter("at", at.atOffset(ZoneOffset.UTC))
                .executeUpdate()
                .chain(() -> session.createNativeQuery(CLEAR_LISTED).setParameter("provider", provider).executeUpdate())
                .chain(() -> session.createNativeQuery(CLEAR_ADJUSTMENTS).setParameter("provider", provider).executeUpdate())
                .chain(() -> session.createNativeQuery(CLEAR_TIERS).setParameter("provider", provider).executeUpdate())
                .chain(() -> terms.listed().isEmpty() ? Uni.createFrom().item(0)
                        : session.createNativeQuery(ADD_LISTED).setParameter("provider", provider)
                                .setParameter("ids", joined(terms.listed())).executeUpdate())
                .chain(() -> each(terms.adjustments().entrySet().stream().map(e -> (java.util.function.Supplier<Uni<Integer>>)
                        () -> session.createNativeQuery(ADD_ADJUSTMENT).setParameter("provider", provider)
                                .setParameter("sponsor", e.getKey()).setParameter("adjustment", e.getValue())
                                .executeUpdate()).toList()))
                .chain(() -> each(terms.loyaltyTiers().stream().map(t -> (java.util.function.Supplier<Uni<Integer>>)
                        () -> session.createNativeQuery(ADD_TIER).setParameter("provider", provider)
                                .setParameter("min", t.minSpendMinor()).setParameter("discount", t.discount())
                                .executeUpdate()).toList())))
                .replaceWithVoid();
    }

    /**
     * What each sponsor spent with each provider that has loyalty tiers, over that provider's window up to
     * {@code now}, in minor units of {@code currency}: by sponsor, then by provider; absent when nothing.
     */
    public Uni<Map<UUID, Map<UUID, Long>>> spend(Collection<UUID> sponsorIds, String currency, Instant now) {
        if (sponsorIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select(SPEND, sponsorIds.toArray(UUID[]::new), currency, now.atOffset(ZoneOffset.UTC))
                .map(rows -> {
                    Map<UUID, Map<UUID, Long>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent((UUID) r[0], k -> new HashMap<>())
                            .put((UUID) r[1], ((Number) r[2]).longValue()));
                    return out;
                });
    }

    /** Runs the statements one after another (a session runs one at a time). */
    private static Uni<Void> each(List<java.util.function.Supplier<Uni<Integer>>> statements) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (java.util.function.Supplier<Uni<Integer>> s : statements) {
            chain = chain.chain(() -> s.get()).replaceWithVoid();
        }
        return chain;
    }

    private static String joined(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }
}
