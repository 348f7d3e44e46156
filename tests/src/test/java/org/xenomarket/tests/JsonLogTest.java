package org.xenomarket.tests;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * JSON logs as an option ({@code xenomarket.log.json}, XENOMARKET_LOG_JSON): the packaged market, started
 * with it on, writes its log as one JSON object a line, and a line written while a request is handled
 * carries that request's id ({@code mdc.requestId}, the id its answer's {@code X-Request-Id} gave), so
 * a log shipper can find what one request did.
 */
class JsonLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withJsonLogsOnEachLineIsAJsonObjectAndARequestsLinesCarryItsId() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-json-log");
        List<String> properties = new ArrayList<>(MarketProcess.onTestDatabase());
        properties.add("-Dxenomarket.log.json=true");
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"), properties, Duration.ofMinutes(3))) {
            String requestId = "json-log-" + UUID.randomUUID();
            // A refused sign-in is logged (at INFO) while its request is handled, and needs no account.
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(market.baseUrl() + "/api/v1/sessions"))
                    .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\": \"nobody-" + requestId + "@example.org\", \"password\": \"wrong password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals(Optional.of(requestId), answer.headers().firstValue("X-Request-Id"));

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> market.output().contains("sign-in refused"));
            List<JsonNode> lines = new ArrayList<>();
            for (String line : market.output().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertTrue(lines.stream().allMatch(JsonNode::isObject), "every line is a JSON object");
            assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().contains("Listening on")),
                    "the start-up lines are JSON too");
            JsonNode refused = lines.stream().filter(l -> l.path("message").asText().contains("sign-in refused"))
                    .findFirst().orElseThrow();
            assertEquals(requestId, refused.path("mdc").path("requestId").asText(), refused.toString());
            assertEquals("INFO", refused.path("level").asText());
            assertFalse(refused.path("timestamp").asText().isEmpty(), refused.toString());
            // Lines of no request (start-up) name none.
            assertTrue(lines.stream().filter(l -> l.path("message").asText().contains("Listening on"))
                    .allMatch(l -> l.path("mdc").path("requestId").isMissingNode()));
        }
    }
}
