package org.xenomarket.market.security.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.KnownTokens;

/** Stored API tokens. */
@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiToken, UUID> {

    private final KnownTokens known;

    public ApiTokenRepository(KnownTokens known) {
        this.known = known;
    }

    public Uni<ApiToken> findActiveByHash(byte[] hash) {
        return find("tokenHash = ?1 and revokedAt is null", (Object) hash).firstResult();
    }

    /** Revokes the token, if it is not already; returns how many tokens changed. */
    public Uni<Integer> revoke(UUID id, Instant at) {
        return update("revokedAt = ?1 where id = ?2 and revokedAt is null", at, id)
                .invoke(() -> known.changed(id));
    }

    /** Marks a managed token revoked (stored at the transaction's flush), and forgets it on this instance now. */
    public void markRevoked(ApiToken token, Instant at) {
        token.revokedAt = at;
        known.changed(token.id);
    }
}
