package org.xenomarket.market.sponsorterms.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.xenomarket.market.sponsorterms.SponsorTerms;

/**
 * Every provider's terms for sponsors, held in memory and tagged with the directory version
 * ({@code server_directory_version}: V97 bumps it at the commit of any change of a terms row, as V96 does for
 * servers and sites). Every quote, nearby search and bid that finds candidates read its providers' terms, one
 * statement each time, over rows that change only when a provider sets its terms; a request whose candidates
 * came from the server directory has just read the version, and asks with it.
 *
 * <p>A copy tagged {@code v} was read after version {@code v} was, so it holds every change up to {@code v} and
 * maybe later ones: a request that read {@code v} or an older version is answered from it, as a read of the
 * terms made after its version's would be. A request with a newer version reads every provider's terms again.
 */
@ApplicationScoped
public class SponsorTermsDirectory {

    /** Every provider's terms as read after the directory's version was {@code version}. */
    private record Held(long version, Map<UUID, SponsorTerms> terms) {
    }

    private final SponsorTermsRepository terms;
    private final AtomicReference<Held> held = new AtomicReference<>();

    public SponsorTermsDirectory(SponsorTermsRepository terms) {
        this.terms = terms;
    }

    /**
     * The terms of these providers, by provider (those that set none are absent), for a request that read
     * {@code directoryVersion}. In the caller's session, which must hold no pending changes.
     */
    public Uni<Map<UUID, SponsorTerms>> ofProviders(Collection<UUID> providerIds, long directoryVersion) {
        if (providerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Held now = held.get();
        if (now != null && now.version() >= directoryVersion) {
            return Uni.createFrom().item(among(now.terms(), providerIds));
        }
        return terms.all().map(all -> {
            Held loaded = new Held(directoryVersion, Map.copyOf(all));
            // a slower read of an older version never replaces a newer copy
            held.accumulateAndGet(loaded, (current, next) -> current == null || current.version() < next.version()
                    ? next : current);
            return among(loaded.terms(), providerIds);
        });
    }

    private static Map<UUID, SponsorTerms> among(Map<UUID, SponsorTerms> all, Collection<UUID> providerIds) {
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<UUID, SponsorTerms> out = new HashMap<>();
        for (UUID provider : providerIds) {
            SponsorTerms found = all.get(provider);
            if (found != null) {
                out.put(provider, found);
            }
        }
        return out;
    }
}
