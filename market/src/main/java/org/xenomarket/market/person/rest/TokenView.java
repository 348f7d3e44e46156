package org.xenomarket.market.person.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.person.service.TokenService;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;

/**
 * An API token as its account sees it; the secret only in the answer that created it. {@code kind} is
 * {@code session} for a person's sign-in and {@code program} for a token made for a program;
 * {@code personId} is the person signed in or who made it, {@code replacesTokenId} the token it rotated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(UUID id, String label, Role role, String kind, Instant createdAt, Instant expiresAt,
                        Instant revokedAt, UUID personId, UUID replacesTokenId, String token) {

    static final String SESSION = "session";
    static final String PROGRAM = "program";

    static TokenView of(TokenService.Listed listed) {
        ApiToken token = listed.token();
        return new TokenView(token.id, token.label, token.role, listed.session() ? SESSION : PROGRAM, token.createdAt,
                token.expiresAt, token.revokedAt, token.personId, token.replacesTokenId, null);
    }

    /** A program's token just made or rotated, with its secret: only programs' tokens are made so. */
    static TokenView withSecret(ApiToken token, String secret) {
        return new TokenView(token.id, token.label, token.role, PROGRAM, token.createdAt, token.expiresAt,
                token.revokedAt, token.personId, token.replacesTokenId, secret);
    }
}
