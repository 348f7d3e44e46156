package org.xenomarket.market.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemTypes;
import org.xenomarket.market.security.Caller;

/**
 * Refuses API requests beyond the rate limits with 429 and {@code Retry-After}: first per client
 * address, before the token is even looked up (so guessing tokens or passwords is slowed too), then
 * per token, once the bearer filter has said whose it is.
 */
public class RateLimitFilter {

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);
    /* Stripe's webhooks come at Stripe's pace and are verified by signature, not limited per address. */
    private static final String STRIPE_WEBHOOK = "/api/v1/payments/stripe/webhook";

    private final RateLimits limits;
    private final Caller caller;

    public RateLimitFilter(RateLimits limits, Caller caller) {
        this.limits = limits;
        this.caller = caller;
    }

    /** Before authentication (the bearer filter runs at the default, USER, priority). */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Optional<Response> perAddress(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") || path.equals(STRIPE_WEBHOOK)) {
            return Optional.empty();
        }
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return limits.takeForAddress(address).map(wait -> {
            LOG.debugf("rate limit of address %s reached", address);
            return tooMany(request, wait, "Too many requests from this address; try again in "
                    + seconds(wait) + " s.");
        });
    }

    /** After authentication: the token's own limit, so one busy program does not slow another. */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Optional<Response> perToken(ContainerRequestContext request) {
        return caller.tokenId().flatMap(token -> limits.takeForToken(token).map(wait -> tooMany(request, wait,
                "Too many requests with this token; try again in " + seconds(wait) + " s.")));
    }

    private static Response tooMany(ContainerRequestContext request, Duration wait, String detail) {
        Problem problem = new Problem(ProblemTypes.RATE_LIMITED, "Too many requests", 429, detail,
                request.getUriInfo().getPath(), List.of());
        return Response.status(429).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, seconds(wait))
                .entity(problem).build();
    }

    /** Whole seconds, rounded up and at least 1: Retry-After takes no fractions, and 0 would invite a hammering. */
    static long seconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
