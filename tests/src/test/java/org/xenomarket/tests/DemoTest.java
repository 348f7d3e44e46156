package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new user does: start the demo on a machine where no PostgreSQL answers, read the tokens
 * it prints, and walk through the README's flow over HTTP. The market must start an embedded
 * PostgreSQL itself (as 'nobody' when run as root), create and migrate its database, seed the
 * demo, serve the flow, and stop the embedded server when it stops.
 */
class DemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoStartsOnAnEmbeddedPostgresAndServesTheReadmeFlow() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-demo-test",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int databasePort = MarketProcess.freePort();
        List<String> demo = List.of("-Dxenomarket.demo.enabled=true",
                "-Dxenomarket.database.embedded.enabled=true",
                "-Dxenomarket.database.host=127.0.0.1",
                "-Dxenomarket.database.port=" + databasePort,
                "-Dxenomarket.database.embedded.directory=" + work.resolve("postgres"));
        assertThrows(SQLException.class, () -> connect(databasePort), "no PostgreSQL answers there before");

        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"), demo, Duration.ofMinutes(4))) {
            String printed = market.output();
            assertTrue(printed.contains("XenoMarket demo is running"), printed);
            assertTrue(printed.contains("xm_demo_sponsor_acme") && printed.contains("xm_demo_provider_fenland"));
            assertTrue(printed.contains("Starting embedded PostgreSQL"), "fell back to the embedded server");
            String api = market.baseUrl() + "/api/v1";
            String sponsor = "Bearer xm_demo_sponsor_acme";
            String provider = "Bearer xm_demo_provider_fenland";

            JsonNode nearby = call("GET", api + "/servers/nearby?lat=52.2&lon=0.12&withinKm=500&vcpus=2&memoryMib=4096&diskGib=20",
                    sponsor, null, 200);
            assertEquals("fen-cam-a", nearby.get(0).get("name").asText(), "the Cambridge servers come first");
            assertEquals(3, nearby.size(), "the two Cambridge servers and the Amsterdam one lie within 500 km");

            JsonNode quote = call("POST", api + "/quotes", sponsor, """
                    {"near": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
                     "resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20}, "durationHours": 24}""", 201);
            assertTrue(quote.get("breakdown").size() >= 3, quote.toString());

            JsonNode bid = call("POST", api + "/bids", sponsor, """
                    {"resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20},
                     "placement": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
                     "durationHours": 24, "maxPricePerHour": {"amount": "0.50", "currency": "EUR"}}""", 201);
            assertEquals("MATCHED", bid.get("state").asText(), bid.toString());

            JsonNode sponsorLeases = call("GET", api + "/leases", sponsor, null, 200).get("items");
            assertEquals(bid.get("leaseId").asText(), sponsorLeases.get(0).get("id").asText());
            assertTrue(new BigDecimal(sponsorLeases.get(0).get("pricePerHour").get("amount").asText())
                    .compareTo(new BigDecimal("0.50")) <= 0);
            JsonNode providerLeases = call("GET", api + "/leases", "Bearer "
                    + providerTokenOf(sponsorLeases.get(0).get("serverId").asText(), api, sponsor), null, 200);
            assertEquals(1, providerLeases.get("items").size());

            JsonNode problem = call("POST", api + "/bids", sponsor, """
                    {"resources": {"vcpus": -1, "memoryMib": 4096, "diskGib": 20},
                     "placement": {"latitude": 95, "longitude": 0.12, "withinKm": 500},
                     "durationHours": 24, "maxPricePerHour": {"amount": "0.50", "currency": "EUR"}}""", 400);
            assertEquals(List.of("placement.latitude", "resources.vcpus"),
                    problem.get("errors").findValuesAsText("field"));
            call("GET", api + "/servers", provider, null, 200);

            String finance = "Bearer xm_demo_finance";
            String active = call("GET", api + "/pricing/policies", finance, null, 200).get(0).get("version").asText();
            call("POST", api + "/pricing/policies", finance,
                    "{\"version\": \"2026.12-review\", \"note\": \"December review: rules and prices unchanged\"}", 201);
            assertEquals(active, call("GET", api + "/pricing/policies/2026.12-review/diff", finance, null, 200)
                    .get("from").asText());
            assertEquals("ACTIVE", call("POST", api + "/pricing/policies/2026.12-review/activate", finance, "", 200)
                    .get("state").asText());
            JsonNode trail = call("GET", api + "/audit?objectType=pricing-policy&objectId=2026.12-review", finance, null, 200);
            assertEquals(List.of("policy.drafted", "policy.activated"), trail.findValuesAsText("action"));
            JsonNode requoted = call("POST", api + "/quotes", sponsor, """
                    {"near": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
                     "resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20}, "durationHours": 24}""", 201);
            assertEquals("2026.12-review", requoted.get("policyVersion").asText());
        }
        assertThrows(SQLException.class, () -> connect(databasePort), "the embedded server stopped with the market");
        removeAll(work);
    }

    private static void removeAll(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** The demo token of the provider owning the server: the one whose server list contains it. */
    private String providerTokenOf(String serverId, String api, String sponsor) throws Exception {
        for (String token : List.of("xm_demo_provider_fenland", "xm_demo_provider_rhein", "xm_demo_provider_hudson",
                "xm_demo_provider_straits")) {
            JsonNode servers = call("GET", api + "/servers", "Bearer " + token, null, 200).get("items");
            for (JsonNode server : servers) {
                if (server.get("id").asText().equals(serverId)) {
                    return token;
                }
            }
        }
        throw new AssertionError("no demo provider owns server " + serverId);
    }

    private JsonNode call(String method, String url, String authorization, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), method + " " + url + " answered " + response.body());
        return JSON.readTree(response.body());
    }

    private static void connect(int port) throws SQLException {
        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "postgres", "")
                .close();
    }
}
