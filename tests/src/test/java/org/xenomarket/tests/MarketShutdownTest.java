package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * SIGTERM (systemctl stop, docker stop) while a clearing round is booking, or while a node's usage
 * upload is being stored: the market stops taking new work but waits for the round to finish its
 * bookings, and for the upload to be stored and answered, before its connection pools close, then
 * exits by itself with the JVM's status for a SIGTERM after its shutdown hooks ran, 143 (128 + 15),
 * not cut off by the timeout.
 *
 * <p>To catch the round mid-booking every time, the test holds a row lock on the server (FOR
 * UPDATE) from its own connection: the round's capacity and lease inserts reference the server,
 * so they wait for that lock (the upload's record references its lease, whose row it holds then). The signal is sent while the round waits; the lock is released only
 * once the market says it is waiting for the round, so the round certainly finishes during shutdown.
 */
class MarketShutdownTest {

    /** The JVM's exit status after SIGTERM, once its shutdown hooks have run: 128 + 15. */
    private static final int EXIT_ON_SIGTERM = 143;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final E2e e2e = new E2e();

    @Test
    void aRoundBookingWhenTheMarketIsToldToStopFinishesBeforeItExits() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-market-shutdown");
        List<String> settings = new ArrayList<>(MarketProcess.onTestDatabase());
        settings.add("-Dxenomarket.clearing.round-interval=1s");
        MarketProcess market = MarketProcess.start(work.resolve("market.log"), settings, Duration.ofMinutes(3));
        try {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED", Size.vcpus(4).memoryMib(8192).diskGib(50));
            String publicKey = Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
            e2e.bringIntoService(api, provider, serverId, publicKey, 4, 8192, 50);

            try (Connection lock = E2e.connect()) {
                lock.setAutoCommit(false);
                int lockPid = holdServer(lock, serverId);
                JsonNode bid = e2e.call("POST", api + "/bids", sponsor, """
                        {"serviceClass": "BEST_EFFORT", "resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 5},
                         "placement": {"latitude": %s, "longitude": %s, "withinKm": 20},
                         "durationHours": 1, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                        .formatted(place.lat(), place.lon()), 201);
                String bidId = bid.get("id").asText();
                assertEquals("OPEN", bid.get("state").asText(), bid.toString());

                // A round has placed the bid and waits on the server's row to book it.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> waitingOn(lockPid) > 0);
                market.terminate();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> market.output().contains("waiting up to"));
                assertTrue(market.output().contains("clearing round of eu-west"), market.output());
                lock.rollback();

                int exit = market.awaitExit(Duration.ofMinutes(1));
                String output = market.output();
                assertEquals(EXIT_ON_SIGTERM, exit, output);
                assertTrue(output.contains("the work in flight has finished"), output);
                assertFalse(output.contains("work still in flight"), output);
                assertEquals(1, E2e.count("SELECT count(*) FROM lease WHERE bid_id = ?", UUID.fromString(bidId)),
                        "the round booked the bid before the market stopped; output:\n" + output);
                assertEquals(1, E2e.count("SELECT count(*) FROM bid WHERE id = ? AND state = 'MATCHED'",
                        UUID.fromString(bidId)));
                assertTrue(output.contains(" stopped in "), "Quarkus finished its shutdown: " + output);
            }
        } finally {
            market.close();
        }
    }

    @Test
    void aUsageUploadInFlightWhenTheMarketIsToldToStopIsStoredAndAnswered() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-market-shutdown-upload");
        MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"));
        try {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED", Size.vcpus(4).memoryMib(8192).diskGib(50));
            KeyPair key = NodeKeys.generate();
            JsonNode node = e2e.bringIntoService(api, provider, serverId, NodeKeys.publicKeyToBase64(key.getPublic()),
                    4, 8192, 50);
            JsonNode bid = e2e.bid(api, sponsor, place, Size.vcpus(1).memoryMib(1024).diskGib(5));
            String leaseId = bid.get("leaseId").asText();
            Instant start = Instant.parse(e2e.call("GET", api + "/leases/" + leaseId, sponsor, null, 200)
                    .get("start").asText()).truncatedTo(ChronoUnit.SECONDS);
            UsageRecordWire record = UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(new UsageStatement(
                    node.get("id").asText(), node.get("nextUsageSequence").asLong(), leaseId,
                    new Interval(start, start.plusSeconds(60)), new Usage(1_000_000, 61_440, 1_000, 2_000, 3_000, 4_000))));

            try (Connection lock = E2e.connect()) {
                lock.setAutoCommit(false);
                int lockPid = hold(lock, "lease", leaseId);
                // The upload stores its record, which references the lease: it waits on the lease's row.
                CompletableFuture<HttpResponse<String>> upload = HttpClient.newHttpClient().sendAsync(
                        HttpRequest.newBuilder(URI.create(api + "/node/usage"))
                                .header("Authorization", "Bearer " + node.get("token").asText())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(Map.of("records", List.of(record)))))
                                .build(), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> waitingOn(lockPid) > 0);
                market.terminate();
                // Quarkus' graceful shutdown (quarkus.shutdown.timeout) now waits for the request in flight.
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> market.output().contains("Waiting for HTTP requests to complete"));
                assertFalse(upload.isDone(), "the upload still waits on the lease's row");
                lock.rollback();

                HttpResponse<String> answer = upload.get(1, TimeUnit.MINUTES);
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("\"accepted\":1"), answer.body());
                int exit = market.awaitExit(Duration.ofMinutes(1));
                assertEquals(EXIT_ON_SIGTERM, exit, market.output());
                assertTrue(market.output().contains("All HTTP requests complete"), market.output());
                assertFalse(market.output().contains("Timed out waiting for graceful shutdown"), market.output());
                assertEquals(1, E2e.count("SELECT count(*) FROM usage_record WHERE lease_id = ?", UUID.fromString(leaseId)),
                        "the record was stored before the market stopped; output:\n" + market.output());
            }
        } finally {
            market.close();
        }
    }

    /** Locks the server's row in the connection's open transaction; returns the connection's backend pid. */
    private static int holdServer(Connection connection, String serverId) throws Exception {
        return hold(connection, "server", serverId);
    }

    /** Locks the row of the table with the id in the connection's open transaction; returns the connection's backend pid. */
    private static int hold(Connection connection, String table, String id) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM " + table + " WHERE id = ? FOR UPDATE")) {
            statement.setObject(1, UUID.fromString(id));
            statement.executeQuery().close();
        }
        try (ResultSet pid = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    /** How many other sessions wait for a lock the given backend holds. */
    private static long waitingOn(int pid) throws Exception {
        return E2e.count("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", pid);
    }
}
