package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, fault 1: PostgreSQL stops at once (immediate mode, as a crash) and comes back while
 * sponsors keep bidding. The market recovers by itself; every bid it answered 201 is in the database
 * afterwards; and what it answered during the outage is 503 problem JSON, never a 500. The server is
 * a PostgreSQL of the test's own ({@link PrivatePostgres}), never the shared one on 5432.
 */
class PostgresRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BIDDERS = 4;
    private static final String DATABASE = "xenomarket_restart";

    private final E2e e2e = new E2e();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One answer of the market to a bid. */
    private record Answer(int status, String contentType, JsonNode body, long at) {
    }

    @Test
    void theMarketRecoversFromARestartedDatabaseLosingNoAcknowledgedBidAndAnswers503MeanwhileNever500()
            throws Exception {
        HostPrerequisite.require(PrivatePostgres.available(), "PostgreSQL's server programs (initdb, pg_ctl)");
        Path work = Files.createTempDirectory("xenomarket-pg-restart");
        try (PrivatePostgres postgres = PrivatePostgres.start();
             MarketProcess market = MarketProcess.start(work.resolve("market.log"), List.of(
                     "-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.port=" + postgres.port,
                     "-Dxenomarket.database.name=" + DATABASE, "-Dxenomarket.node.heartbeat-timeout=PT1H",
                     "-XX:TieredStopAtLevel=1"), Duration.ofMinutes(4))) {
            String api = market.baseUrl() + "/api/v1";
            String provider;
            String sponsor;
            try (Connection db = postgres.connect(DATABASE)) {
                provider = "Bearer " + E2e.account(db, "PROVIDER", "provider");
                sponsor = "Bearer " + E2e.account(db, "SPONSOR", "sponsor");
            }
            E2e.Place place = E2e.Place.random();
            inService(api, provider, place);

            ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
            AtomicBoolean bidding = new AtomicBoolean(true);
            AtomicInteger clientFailures = new AtomicInteger();
            ExecutorService bidders = Executors.newFixedThreadPool(BIDDERS);
            try {
                for (int i = 0; i < BIDDERS; i++) {
                    bidders.submit(() -> {
                        while (bidding.get()) {
                            try {
                                answers.add(bid(api, sponsor, place));
                            } catch (Exception e) {
                                clientFailures.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> created(answers) >= 20);

                postgres.stopServer();
                long stoppedAt = System.nanoTime();
                // bids keep coming while the database is away: the market must answer them 503
                await().atMost(Duration.ofMinutes(2)).until(() -> answers.stream()
                        .filter(a -> a.at() > stoppedAt && a.status() == 503).count() >= 10);
                postgres.startServer();
                long startedAt = System.nanoTime();

                // recovered by itself: bids are taken again, without a restart of the market
                await().atMost(Duration.ofMinutes(3)).until(() -> answers.stream()
                        .filter(a -> a.at() > startedAt && a.status() == 201).count() >= 20);
            } finally {
                bidding.set(false);
                bidders.shutdown();
                assertTrue(bidders.awaitTermination(2, TimeUnit.MINUTES), "the bidders stopped");
            }

            Map<Integer, Integer> byStatus = new TreeMap<>();
            answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
            for (Answer answer : answers) {
                assertTrue(answer.status() == 201 || answer.status() == 503,
                        "only 201 and 503, never a 500: " + answer + "; all answers by status " + byStatus);
                if (answer.status() == 503) {
                    assertTrue(answer.contentType().startsWith("application/problem+json"), answer.toString());
                    assertEquals("https://xenomarket.org/problems/database-unavailable", answer.body().get("type").asText(),
                            answer.toString());
                }
            }
            assertEquals(0, clientFailures.get(), "every request was answered; by status " + byStatus);

            List<UUID> acknowledged = answers.stream().filter(a -> a.status() == 201)
                    .map(a -> UUID.fromString(a.body().get("id").asText())).toList();
            try (Connection db = postgres.connect(DATABASE);
                 PreparedStatement query = db.prepareStatement("SELECT count(*) FROM bid WHERE id = ANY(?)")) {
                query.setObject(1, acknowledged.toArray(UUID[]::new));
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    assertEquals(acknowledged.size(), row.getLong(1), "every bid answered 201 is stored; by status "
                            + byStatus);
                }
            }
            System.out.println("PostgresRestartTest: answers by status " + byStatus);
        }
    }

    private Answer bid(String api, String sponsor, E2e.Place place) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/bids"))
                .header("Authorization", sponsor).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"resources": {"vcpus": 1, "memoryMib": 512, "diskGib": 1},
                         "placement": {"latitude": %s, "longitude": %s, "withinKm": 50},
                         "durationHours": 1, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                        .formatted(place.lat(), place.lon()))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                System.nanoTime());
    }

    private static long created(ConcurrentLinkedQueue<Answer> answers) {
        return answers.stream().filter(a -> a.status() == 201).count();
    }

    /** Two large servers near the place with registered nodes, so bids are matched at once while room lasts. */
    private void inService(String api, String provider, E2e.Place place) throws Exception {
        String site = "pg-" + UUID.randomUUID().toString().substring(0, 8);
        e2e.call("POST", api + "/sites", provider, """
                {"code": "%s", "region": "eu-west", "city": "Restartville", "country": "GB",
                 "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}"""
                .formatted(site, place.lat(), place.lon()), 201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = e2e.call("POST", api + "/servers", provider, """
                    {"name": "%s-%d", "site": "%s", "hypervisor": "SIMULATED",
                     "capacity": {"vcpus": 512, "memoryMib": 1048576, "diskGib": 10000, "egressMbps": 1000}}"""
                    .formatted(site, i, site), 201).get("id").asText();
            String publicKey = Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
            e2e.bringIntoService(api, provider, id, publicKey, 512, 1048576, 10000);
            ids.add(id);
        }
    }
}
