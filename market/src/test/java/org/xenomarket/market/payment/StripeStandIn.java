package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A local stand-in of Stripe's API: WireMock in this process on a random port, to which the
 * market's real stripe-java client is pointed through {@code xenomarket.payment.stripe.api-base}.
 * Each test stubs the Stripe-shaped answers (and faults) it needs, keyed by the idempotency keys
 * the market derives, and reads the request journal to see what reached "Stripe".
 */
public class StripeStandIn implements QuarkusTestResourceLifecycleManager {

    private static volatile WireMockServer server;

    /** The running stand-in. */
    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(12));
        server.start();
        return Map.of("xenomarket.payment.stripe.api-base", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The requests that reached the stand-in at {@code path} (e.g. /v1/payment_intents) with this idempotency key. */
    public static List<LoggedRequest> requests(String path, String idempotencyKey) {
        return server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().equals(path) && idempotencyKey.equals(r.getHeader("Idempotency-Key")))
                .toList();
    }

    /** The distinct idempotency keys of the requests at {@code path} whose form body contains {@code marker}. */
    public static Set<String> keys(String path, String marker) {
        return server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().equals(path) && r.getBodyAsString().contains(marker))
                .map(r -> r.getHeader("Idempotency-Key"))
                .collect(Collectors.toSet());
    }
}
