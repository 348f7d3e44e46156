package org.xenomarket.market.quote.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.quote.Quote;

/** Stored quotes. */
@ApplicationScoped
public class QuoteRepository implements PanacheRepositoryBase<Quote, UUID> {

    /** A stored price sheet (V79): the policy version, as of when, and the server as the rules saw it. */
    public record StoredSheet(String policyVersion, java.time.Instant asOf, io.vertx.core.json.JsonObject snapshot) {
    }

    /** The price sheet a round's quote references. */
    public Uni<StoredSheet> sheetOf(UUID sheetId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT policy_version, as_of, CAST(snapshot AS text) FROM price_sheet WHERE id = :id", Object[].class)
                .setParameter("id", sheetId)
                .getSingleResult())
                .map(row -> new StoredSheet((String) row[0], instantOf(row[1]),
                        new io.vertx.core.json.JsonObject((String) row[2])));
    }

    private static java.time.Instant instantOf(Object value) {
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(java.time.ZoneOffset.UTC);
        }
        return (java.time.Instant) value;
    }

    public Uni<Quote> findOfSponsor(UUID id, UUID sponsorId) {
        return find("id = ?1 and sponsorId = ?2", id, sponsorId).firstResult();
    }
}
