package org.xenomarket.market.security;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bearer token of an account, stored only as the SHA-256 of its secret. */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public Role role;

    @Column(name = "token_hash", nullable = false)
    public byte[] tokenHash;

    @Column(nullable = false)
    public String label;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The server a node token acts for; null for every other role. */
    @Column(name = "server_id")
    public UUID serverId;

    /** The lease a device token acts for; null for every other role. */
    @Column(name = "lease_id")
    public UUID leaseId;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** When the token stops being good; null for node and demo tokens, which end another way. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The person whose sign-in this is, or who made this program's token; null otherwise. */
    @Column(name = "person_id")
    public UUID personId;

    /** The token this one replaced when it was rotated; null for a token issued afresh. */
    @Column(name = "replaces_token_id")
    public UUID replacesTokenId;

    /** Whether the token is past its expiry at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
