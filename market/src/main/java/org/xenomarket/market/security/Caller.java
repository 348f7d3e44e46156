package org.xenomarket.market.security;

import jakarta.enterprise.context.RequestScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.xenomarket.market.problem.NotAuthenticated;
import org.xenomarket.market.problem.NotPermitted;

/** The account and role behind the current request, set once its bearer token is verified. */
@RequestScoped
public class Caller {

    private UUID accountId;
    private Role role;
    private UUID serverId;
    private UUID leaseId;
    private UUID tokenId;
    private Instant tokenExpiresAt;
    private String requestId;

    void authenticate(UUID accountId, Role role, UUID serverId, UUID leaseId, UUID tokenId, Instant tokenExpiresAt,
                      String requestId) {
        this.accountId = accountId;
        this.role = role;
        this.serverId = serverId;
        this.leaseId = leaseId;
        this.tokenId = tokenId;
        this.tokenExpiresAt = tokenExpiresAt;
        this.requestId = requestId;
    }

    /** The token this request was authenticated with; empty before (or without) authentication. */
    public Optional<UUID> tokenId() {
        return Optional.ofNullable(tokenId);
    }

    /** When the request's token expires; null for tokens without expiry (nodes, the demo's). */
    public Instant tokenExpiresAt() {
        requireAuthenticated();
        return tokenExpiresAt;
    }

    /**
     * The caller as the actor of an audited change: the one place an {@link Actor} is made from a
     * request, so every audit event names its account, role, token and request id alike.
     */
    public Actor actor() {
        requireAuthenticated();
        return new Actor(accountId, role.label(), tokenId, requestId);
    }

    /** The server a node token acts for; fails with 403 for any other token. */
    public UUID serverId() {
        require(Role.NODE);
        return serverId;
    }

    /** The lease a device token acts for; fails with 403 for any other token. */
    public UUID leaseId() {
        require(Role.DEVICE);
        return leaseId;
    }

    public UUID accountId() {
        requireAuthenticated();
        return accountId;
    }

    public Role role() {
        requireAuthenticated();
        return role;
    }

    public boolean is(Role candidate) {
        return role == candidate;
    }

    /** Fails with 403 unless the caller holds one of the roles. */
    public void require(Role... allowed) {
        requireAuthenticated();
        if (Arrays.stream(allowed).noneMatch(r -> r == role)) {
            throw new NotPermitted("This action needs a token with role "
                    + String.join(" or ", Arrays.stream(allowed).map(Role::label).toList())
                    + "; this token's role is " + role.label() + ".");
        }
    }

    private void requireAuthenticated() {
        if (accountId == null) {
            throw new NotAuthenticated("Send an API token as 'Authorization: Bearer <token>'.");
        }
    }
}
