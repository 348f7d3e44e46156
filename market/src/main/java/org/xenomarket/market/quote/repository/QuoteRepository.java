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

    /**
     * Stores a price sheet (V79) under {@code id} in the caller's transaction: the server as the rules saw it,
     * nothing reserved, the policy version and as of when.
     */
    public Uni<Integer> insertSheet(UUID id, org.xenomarket.pricing.PriceSheet sheet) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO price_sheet (id, server_id, policy_version, as_of, snapshot)
                        VALUES (:id, :serverId, :policyVersion, :asOf, CAST(CAST(:snapshot AS text) AS jsonb))
                        """)
                .setParameter("id", id)
                .setParameter("serverId", UUID.fromString(sheet.serverId()))
                .setParameter("policyVersion", sheet.policyVersion())
                .setParameter("asOf", java.time.OffsetDateTime.ofInstant(sheet.asOf(), java.time.ZoneOffset.UTC))
                .setParameter("snapshot", org.xenomarket.market.pricing.PriceSheetSnapshot.toJson(sheet).encode())
                .executeUpdate());
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
