package org.xenomarket.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The packaged market with its demo data, started as its own process on PostgreSQL (database
 * {@code xenomarket_portal_e2e}, or {@code XENOMARKET_PORTAL_E2E_DATABASE}), for the portal under
 * test to talk to over HTTP as it does in production. Stripe is a local WireMock stand-in (as in the
 * market's own tests) that answers the calls a sponsor's card setup makes.
 */
public class MarketProcess implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = System.getenv().getOrDefault("XENOMARKET_PORTAL_E2E_DATABASE",
            "xenomarket_portal_e2e");
    static String url;
    /** The stand-in's answer to a SetupIntent: what the sponsor's billing page shows after "Add a card". */
    static final String SETUP_INTENT = "seti_portal_standin";
    static final String CUSTOMER = "cus_portal_standin";

    private Process process;
    private WireMockServer stripe;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getProperty("xenomarket.market.jar", "../market/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build the market module first");
        }
        try {
            startFromEmptyDatabase();
            int port = freePort();
            stripe = stripeStandIn();
            Path log = Path.of("target", "market.log");
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port, "-Dxenomarket.demo.enabled=true",
                    "-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + DATABASE,
                    "-Dxenomarket.payment.stripe.api-base=" + stripe.baseUrl(),
                    "-Dxenomarket.payment.stripe.secret-key=sk_test_portal_standin",
                    "-Dxenomarket.payment.stripe.webhook-secret=whsec_portal_standin",
                    // The tests' invoices are not charged while they run: collection is the market's own tests' job.
                    "-Dxenomarket.payment.sweep-interval=24h",
                    "-jar", jar.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (!Files.readString(log).contains("Demo sign-ins")) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException("the market did not start; its output:\n" + Files.readString(log));
                }
                Thread.sleep(250);
            }
            url = "http://127.0.0.1:" + port;
            return Map.of("xenomarket.portal.market-url", url);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops the journeys' database so every run starts from the demo data alone (the market creates
     * and migrates it again): journeys add usage and invoices, and a second run over the first's
     * rows would see their sums doubled.
     */
    private static void startFromEmptyDatabase() {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement drop = db.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS \"" + DATABASE.replace("\"", "\"\"") + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the journeys' database " + DATABASE, e);
        }
    }

    private static WireMockServer stripeStandIn() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"" + CUSTOMER + "\", \"object\": \"customer\"}")));
        server.stubFor(post(urlEqualTo("/v1/setup_intents")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"" + SETUP_INTENT + "\", \"object\": \"setup_intent\", \"customer\": \"" + CUSTOMER
                        + "\", \"client_secret\": \"" + SETUP_INTENT + "_secret_standin\", \"status\": \"requires_payment_method\"}")));
        return server;
    }

    @Override
    public void stop() {
        if (stripe != null) {
            stripe.stop();
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
