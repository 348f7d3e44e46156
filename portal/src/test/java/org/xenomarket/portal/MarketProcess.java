package org.xenomarket.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
    /** The stand-in's Checkout Session (setup mode), and the page it stands in for Stripe's own with. */
    static final String CHECKOUT_SESSION = "cs_portal_standin";
    static final String WEBHOOK_SECRET = "whsec_portal_standin";
    static WireMockServer stripeStandIn;

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
            stripeStandIn = stripe;
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
        server.stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"" + CHECKOUT_SESSION + "\", \"object\": \"checkout.session\", \"mode\": \"setup\","
                        + " \"customer\": \"" + CUSTOMER + "\", \"url\": \"" + server.baseUrl() + "/pay/" + CHECKOUT_SESSION + "\"}")));
        server.stubFor(get(urlEqualTo("/pay/" + CHECKOUT_SESSION)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!doctype html><html lang=\"en\"><head><title>Stripe Checkout (stand-in)</title></head>"
                        + "<body><main><h1>Save a card (Stripe stand-in)</h1></main></body></html>")));
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

    /**
     * Plays Stripe telling the market that a SetupIntent succeeded: the signed webhook it sends once
     * the card entered on its Checkout page is confirmed (signed as Stripe does, with the secret the
     * market was started with).
     */
    static void deliverSetupSucceeded(String paymentMethodId) throws IOException, InterruptedException {
        String payload = ("{\"id\": \"evt_portal_%s\", \"object\": \"event\", \"api_version\": \"2025-01-01\","
                + " \"created\": %d, \"livemode\": false, \"type\": \"setup_intent.succeeded\", \"data\": {\"object\":"
                + " {\"id\": \"%s\", \"object\": \"setup_intent\", \"customer\": \"%s\", \"status\": \"succeeded\","
                + " \"usage\": \"off_session\", \"payment_method\": \"%s\", \"livemode\": false, \"metadata\": {}}}}")
                .formatted(paymentMethodId, Instant.now().getEpochSecond(), SETUP_INTENT, CUSTOMER, paymentMethodId);
        long now = Instant.now().getEpochSecond();
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            signature = "t=" + now + ",v1=" + HexFormat.of().formatHex(
                    mac.doFinal((now + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/api/v1/payments/stripe/webhook"))
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the market refused the webhook: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Base64 X.509 form of a fresh Ed25519 public key, as a node agent registers it. */
    static String freshPublicKey() {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair().getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
