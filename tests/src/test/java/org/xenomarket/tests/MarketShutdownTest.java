package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (systemctl stop, docker stop) while a clearing round is booking: the market stops taking
 * new work but waits for the round to finish its bookings before its connection pools close, then
 * exits by itself with the JVM's status for a SIGTERM after its shutdown hooks ran, 143 (128 + 15),
 * not cut off by the timeout.
 *
 * <p>To catch the round mid-booking every time, the test holds a row lock on the server (FOR
 * UPDATE) from its own connection: the round's capacity and lease inserts reference the server,
 * so they wait for that lock. The signal is sent while the round waits; the lock is released only
 * once the market says it is waiting for the round, so the round certainly finishes during shutdown.
 */
class MarketShutdownTest {

    /** The JVM's exit status after SIGTERM, once its shutdown hooks have run: 128 + 15. */
    private static final int EXIT_ON_SIGTERM = 143;

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

    /** Locks the server's row in the connection's open transaction; returns the connection's backend pid. */
    private static int holdServer(Connection connection, String serverId) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM server WHERE id = ? FOR UPDATE")) {
            statement.setObject(1, UUID.fromString(serverId));
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
