package org.xenomarket.market.security;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemTypes;
import org.xenomarket.market.request.RequestId;
import org.xenomarket.market.security.repository.ApiTokenRepository;

/**
 * Authenticates every API request by its bearer token. Requests outside {@code /api/} (OpenAPI,
 * Swagger UI, health) and Stripe's webhooks (signed, not tokened) pass untouched.
 */
public class BearerTokenFilter {

    private static final String BEARER = "Bearer ";
    /* Stripe's webhooks carry no token: the payment package verifies their signature instead. */
    private static final Set<String> UNAUTHENTICATED = Set.of("/api/v1/payments/stripe/webhook");

    private final ApiTokenRepository tokens;
    private final KnownTokens known;
    private final Caller caller;
    private final Clock clock;

    public BearerTokenFilter(ApiTokenRepository tokens, KnownTokens known, Caller caller, Clock clock) {
        this.tokens = tokens;
        this.known = known;
        this.caller = caller;
        this.clock = clock;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        // Stripe's webhook carries its own signature; signing in (person package) is how a person
        // gets a token, so it cannot need one.
        if (!path.startsWith("/api/") || UNAUTHENTICATED.contains(path)
                || path.equals("/api/v1/sessions") && "POST".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER) || header.length() == BEARER.length()) {
            return Uni.createFrom().item(unauthorized(request,
                    "Send an API token as 'Authorization: Bearer <token>'."));
        }
        byte[] hash = TokenSecret.hash(header.substring(BEARER.length()).trim());
        Instant now = clock.instant();
        KnownTokens.Known kept = known.find(hash, now);
        if (kept != null) {
            return Uni.createFrom().item(admit(request, kept, now));
        }
        long mark = known.mark();
        return Panache.withSession(() -> tokens.findActiveByHash(hash)).map(token -> {
            if (token == null) {
                return unauthorized(request, "The API token is unknown or revoked.");
            }
            known.keep(hash, token, mark, now);
            return admit(request, KnownTokens.Known.of(token, now), clock.instant());
        });
    }

    /** Null (go on) for a token good at {@code now}, else the 401. */
    private Response admit(ContainerRequestContext request, KnownTokens.Known token, Instant now) {
        // Checked here rather than by a sweep, so a token is refused the moment it expires.
        if (token.expiredAt(now)) {
            return unauthorized(request, "The API token expired at " + token.expiresAt()
                    + "; make a new one, or rotate tokens before they expire.");
        }
        // A device token may do one thing, whatever a resource forgets to check: move its lease's point.
        if (token.role() == Role.DEVICE
                && !request.getUriInfo().getPath().equals("/api/v1/leases/" + token.leaseId() + "/follow")) {
            Problem problem = new Problem(ProblemTypes.NOT_PERMITTED, "Not permitted", 403, "A device token may "
                    + "only read and move the follow point of its lease, at /api/v1/leases/" + token.leaseId()
                    + "/follow.", request.getUriInfo().getPath(), List.of());
            return Response.status(403).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        caller.authenticate(token.accountId(), token.role(), token.serverId(), token.leaseId(), token.id(),
                token.expiresAt(), request.getHeaderString(RequestId.HEADER));
        return null;
    }

    private static Response unauthorized(ContainerRequestContext request, String detail) {
        Problem problem = new Problem(ProblemTypes.NOT_AUTHENTICATED, "Not authenticated", 401, detail,
                request.getUriInfo().getPath(), List.of());
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"xenomarket\"")
                .entity(problem).build();
    }
}
