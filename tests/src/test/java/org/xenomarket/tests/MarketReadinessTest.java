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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the database: a market whose PostgreSQL becomes unreachable answers
 * {@code /q/health/ready} with 503 and the database check DOWN, while {@code /q/health/live} stays
 * UP (the process is fine; restarting it would not help); once the database is back, it is ready
 * again by itself. The market reaches PostgreSQL through a relay the test cuts and restores.
 */
class MarketReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndUpAgainWhenItIsBack() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-readiness");
        try (TcpRelay database = TcpRelay.to(5432);
             MarketProcess market = MarketProcess.start(work.resolve("market.log"), List.of(
                     "-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.port=" + database.port,
                     "-Dxenomarket.database.name=" + E2e.DATABASE), Duration.ofMinutes(3))) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(market, "/q/health/ready") == 200);

            database.cut();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(market, "/q/health/ready") == 503);
            JsonNode ready = health(market, "/q/health/ready");
            assertEquals("DOWN", ready.path("status").asText(), ready.toString());
            boolean databaseDown = false;
            for (JsonNode check : ready.path("checks")) {
                databaseDown |= check.path("name").asText().contains("PostgreSQL") && "DOWN".equals(check.path("status").asText());
            }
            assertTrue(databaseDown, "the database check is the one down: " + ready);
            assertEquals(200, status(market, "/q/health/live"), "alive all the same");

            database.restore();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(market, "/q/health/ready") == 200);
        }
    }

    private int status(MarketProcess market, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(market.baseUrl() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode health(MarketProcess market, String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(market.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
