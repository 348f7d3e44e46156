package org.xenomarket.market.person.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.person.TokenLifetimes;
import org.xenomarket.market.person.repository.PersonSessionRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;

/**
 * An account's own API tokens, for programs: listed, issued with the caller's role and an expiry,
 * rotated (a new secret, the old one revoked in the same transaction) and revoked. Revoking a token
 * also ends its open event streams (see {@code security.TokenEnds}).
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    /** A new token and its secret, which is shown once and stored only hashed. */
    public record Created(ApiToken token, String secret) {
    }

    /** A token as its account sees it: whether it is a person's sign-in or a program's token. */
    public record Listed(ApiToken token, boolean session) {
    }

    private final ApiTokenRepository tokens;
    private final PersonSessionRepository sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final TokenLifetimes lifetimes;

    public TokenService(ApiTokenRepository tokens, PersonSessionRepository sessions, AuditLog audit, Clock clock,
                        @ConfigProperty(name = "xenomarket.tokens.default-lifetime", defaultValue = "P90D")
                        Duration defaultLifetime,
                        @ConfigProperty(name = "xenomarket.tokens.max-lifetime", defaultValue = "P365D")
                        Duration maxLifetime) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.lifetimes = new TokenLifetimes(defaultLifetime, maxLifetime);
    }

    @WithSession
    public Uni<List<Listed>> list(UUID accountId) {
        return sessions.accountTokens(accountId).chain(list -> sessions.sessionTokenIds(
                        list.stream().map(t -> t.id).toList())
                .map(sessionIds -> list.stream().map(t -> new Listed(t, sessionIds.contains(t.id))).toList()));
    }

    /**
     * A token of the caller's own account and role (nobody makes a token stronger than their own),
     * good for {@code days} (null: the market's default), and credited to the person behind the
     * caller's token, if any.
     */
    @WithTransaction
    public Uni<Created> create(Actor actor, Role role, String label, Integer days) {
        Instant now = clock.instant();
        Instant expiresAt = lifetimes.expiry(now, days);
        return tokens.findById(actor.tokenId()).chain(issuer -> {
            String secret = TokenSecret.generate();
            ApiToken token = newToken(actor.accountId(), role, label.strip(), now, expiresAt, secret);
            token.personId = issuer == null ? null : issuer.personId;
            return tokens.persist(token)
                    .chain(() -> audit.record(actor, "token.create", "api-token", token.id.toString(), null,
                            token.label, "role " + role.label() + ", expires " + expiresAt))
                    .replaceWith(new Created(token, secret));
        });
    }

    /**
     * Replaces a token of the account by a new one of the same account, role, label and person: the
     * new secret is in the answer only, the old token is revoked in the same transaction (so its
     * streams end at once) and never works again. A session's token is not rotated (sign in again),
     * and a revoked or expired one cannot be (409).
     */
    @WithTransaction
    public Uni<Created> rotate(Actor actor, UUID id, Integer days) {
        Instant now = clock.instant();
        return ownToken(actor, id).chain(old -> sessions.findById(id).chain(session -> {
            if (session != null) {
                throw new Conflict("id", "this is the token of a sign-in session; sign in again for a new one");
            }
            if (old.revokedAt != null) {
                throw new Conflict("id", "the token was revoked at " + old.revokedAt + "; make a new one");
            }
            if (old.expiredAt(now)) {
                throw new Conflict("id", "the token expired at " + old.expiresAt + "; make a new one");
            }
            Instant expiresAt = lifetimes.successorExpiry(now, days, old.createdAt, old.expiresAt);
            String secret = TokenSecret.generate();
            ApiToken successor = newToken(old.accountId, old.role, old.label, now, expiresAt, secret);
            successor.personId = old.personId;
            successor.leaseId = old.leaseId;
            successor.replacesTokenId = old.id;
            tokens.markRevoked(old, now);
            LOG.infof("token %s rotated into %s", old.id, successor.id);
            return tokens.persist(successor)
                    // Both tokens' trails tell of the rotation: the old one's where it went, the new one's whence.
                    .chain(() -> audit.record(actor, "token.rotate", "api-token", old.id.toString(),
                            old.id.toString(), successor.id.toString(), "replaced by " + successor.id))
                    .chain(() -> audit.record(actor, "token.create", "api-token", successor.id.toString(),
                            old.id.toString(), successor.label, "rotated from " + old.id + ", role "
                                    + successor.role.label() + ", expires " + expiresAt))
                    .replaceWith(new Created(successor, secret));
        }));
    }

    /** Revokes a token of the account (a session's too: that signs it out); 404 for another account's or none. */
    @WithTransaction
    public Uni<Listed> revoke(Actor actor, UUID id) {
        return ownToken(actor, id).chain(token -> sessions.findById(id).chain(session -> {
            Listed listed = new Listed(token, session != null);
            if (token.revokedAt != null) {
                return Uni.createFrom().item(listed);
            }
            tokens.markRevoked(token, clock.instant());
            return audit.record(actor, "token.revoke", "api-token",
                    id.toString(), token.label, null, null).replaceWith(listed);
        }));
    }

    /** The account's token (not a node's); 404 for another account's token or none, not told apart. */
    private Uni<ApiToken> ownToken(Actor actor, UUID id) {
        return tokens.findById(id).map(token -> {
            if (token == null || !token.accountId.equals(actor.accountId()) || token.serverId != null) {
                throw new NotFound("token", id);
            }
            return token;
        });
    }

    private static ApiToken newToken(UUID accountId, Role role, String label, Instant now, Instant expiresAt,
                                     String secret) {
        ApiToken token = new ApiToken();
        token.id = TimeOrderedId.next();
        token.accountId = accountId;
        token.role = role;
        token.tokenHash = TokenSecret.hash(secret);
        token.label = label;
        token.createdAt = now;
        token.expiresAt = expiresAt;
        return token;
    }
}
