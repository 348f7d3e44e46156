package org.xenomarket.market.quote.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.quote.Quote;

/** Stored quotes. */
@ApplicationScoped
public class QuoteRepository implements PanacheRepositoryBase<Quote, UUID> {

    public Uni<Quote> findOfSponsor(UUID id, UUID sponsorId) {
        return find("id = ?1 and sponsorId = ?2", id, sponsorId).firstResult();
    }
}
