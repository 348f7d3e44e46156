package org.xenomarket.market.person.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.person.repository.PersonSessionRepository;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.security.Actor;

/** An account's own API tokens, for programs: listed, made with the caller's role, revoked. */
@ApplicationScoped
public class TokenService {

    /** A new token and its secret, which is shown once and stored only hashed. */
    public record Created(ApiToken token, String secret) {
    }

    private final ApiTokenRepository tokens;
    private final PersonSessionRepository sessions;
    private final AuditLog audit;
    private final Clock clock;

    public TokenService(ApiTokenRepository tokens, PersonSessionRepository sessions, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    @WithSession
    public Uni<List<ApiToken>> list(UUID accountId) {
        return sessions.accountTokens(accountId);
    }

    /** A token of the caller's own account and role: nobody makes a token stronger than their own. */
    @WithTransaction
    public Uni<Created> create(Actor actor, Role role, String label) {
        UUID accountId = actor.accountId();
        String secret = TokenSecret.generate();
        ApiToken token = new ApiToken();
        token.id = TimeOrderedId.next();
        token.accountId = accountId;
        token.role = role;
        token.tokenHash = TokenSecret.hash(secret);
        token.label = label.strip();
        token.createdAt = clock.instant();
        return tokens.persist(token)
                .chain(() -> audit.record(actor, "token.create", "api-token",
                        token.id.toString(), null, token.label, null))
                .replaceWith(new Created(token, secret));
    }

    /** Revokes a token of the account; 404 for another account's token or none. */
    @WithTransaction
    public Uni<ApiToken> revoke(Actor actor, UUID id) {
        UUID accountId = actor.accountId();
        return tokens.findById(id)
                .onItem().ifNull().failWith(() -> new NotFound("token", id))
                .chain(token -> {
                    if (!token.accountId.equals(accountId) || token.serverId != null) {
                        return Uni.createFrom().failure(new NotFound("token", id));
                    }
                    if (token.revokedAt != null) {
                        return Uni.createFrom().item(token);
                    }
                    token.revokedAt = clock.instant();
                    return audit.record(actor, "token.revoke", "api-token",
                            id.toString(), token.label, null, null).replaceWith(token);
                });
    }
}
