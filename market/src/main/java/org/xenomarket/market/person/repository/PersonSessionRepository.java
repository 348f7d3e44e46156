package org.xenomarket.market.person.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.person.PersonSession;
import org.xenomarket.market.security.ApiToken;

/** Stored sign-ins, and the account tokens a person sees in the console. */
@ApplicationScoped
public class PersonSessionRepository implements PanacheRepositoryBase<PersonSession, UUID> {

    /** Revokes the tokens of every session that expired by {@code now}; returns how many changed. */
    public Uni<Integer> revokeExpired(Instant now) {
        return getSession().chain(session -> session.createMutationQuery(
                        "update ApiToken t set t.revokedAt = :now where t.revokedAt is null and t.id in "
                                + "(select s.tokenId from PersonSession s where s.expiresAt <= :now)")
                .setParameter("now", now)
                .executeUpdate());
    }

    /** Which of these tokens are sign-in sessions' tokens. */
    public Uni<Set<UUID>> sessionTokenIds(List<UUID> tokenIds) {
        if (tokenIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return getSession().chain(session -> session.createSelectionQuery(
                        "select s.tokenId from PersonSession s where s.tokenId in :ids", UUID.class)
                .setParameter("ids", tokenIds)
                .getResultList())
                .map(Set::copyOf);
    }

    /** An account's tokens other than node tokens, newest first. */
    public Uni<List<ApiToken>> accountTokens(UUID accountId) {
        return getSession().chain(session -> session.createSelectionQuery(
                        "from ApiToken t where t.accountId = :account and t.serverId is null order by t.createdAt desc",
                        ApiToken.class)
                .setParameter("account", accountId)
                .setMaxResults(500)
                .getResultList());
    }
}
