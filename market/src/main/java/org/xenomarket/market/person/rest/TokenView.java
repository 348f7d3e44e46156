package org.xenomarket.market.person.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;

/** An API token as its account sees it; the secret only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(UUID id, String label, Role role, Instant createdAt, Instant revokedAt, String token) {

    static TokenView of(ApiToken token) {
        return new TokenView(token.id, token.label, token.role, token.createdAt, token.revokedAt, null);
    }

    static TokenView withSecret(ApiToken token, String secret) {
        return new TokenView(token.id, token.label, token.role, token.createdAt, token.revokedAt, secret);
    }
}
