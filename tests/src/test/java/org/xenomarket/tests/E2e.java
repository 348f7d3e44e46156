package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the end-to-end tests of the agent do against the market: HTTP calls, accounts and SQL on
 * the market's database (xenomarket_e2e on the local PostgreSQL, or XENOMARKET_E2E_DATABASE so that
 * two checkouts can run their tests side by side), and waiting for a state.
 */
final class E2e {

    static final String DATABASE = System.getenv().getOrDefault("XENOMARKET_E2E_DATABASE", "xenomarket_e2e");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A random point, so that each test's servers stand where no other test's do. */
    record Place(double lat, double lon) {
        static Place random() {
            return new Place(ThreadLocalRandom.current().nextDouble(-60, 60),
                    ThreadLocalRandom.current().nextDouble(-179, 179));
        }
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Lists a server at a new site at the place; returns its id. */
    String listServer(String api, String provider, Place place, String hypervisor, Size capacity)
            throws IOException, InterruptedException {
        String site = "agent-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", api + "/sites", provider, """
                {"code": "%s", "region": "eu-west", "city": "Testville", "country": "GB",
                 "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}""".formatted(site, place.lat(), place.lon()), 201);
        return call("POST", api + "/servers", provider, """
                {"name": "%s", "site": "%s", "hypervisor": "%s",
                 "capacity": {"vcpus": %d, "memoryMib": %d, "diskGib": %d, "egressMbps": 1000}}"""
                .formatted(site, site, hypervisor,
                        capacity.vcpus(), capacity.memoryMib(), capacity.diskGib()), 201).get("id").asText();
    }

    /** A reserved bid near the place, which must match at once; returns the bid. */
    JsonNode bid(String api, String sponsor, Place place, Size resources) throws IOException, InterruptedException {
        JsonNode bid = call("POST", api + "/bids", sponsor, """
                {"resources": {"vcpus": %d, "memoryMib": %d, "diskGib": %d},
                 "placement": {"latitude": %s, "longitude": %s, "withinKm": 50},
                 "durationHours": 2, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                .formatted(
                        resources.vcpus(), resources.memoryMib(), resources.diskGib(), place.lat(), place.lon()), 201);
        assertEquals("MATCHED", bid.get("state").asText(), bid.toString());
        return bid;
    }

    String state(String url, String authorization) throws Exception {
        return call("GET", url, authorization, null, 200).get("state").asText();
    }

    JsonNode call(String method, String url, String authorization, String body, int expectedStatus)
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

    /** Waits until the probe's value passes; on timeout fails with the last value and the agent's output. */
    <T> void await(Probe<T> probe, Predicate<T> done, Duration timeout, AgentProcess agent) throws Exception {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            // Awaitility's, qualified: this method's own name hides a static import of it.
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last.set(probe.get());
                        return done.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("still " + last.get() + " after " + timeout
                    + (agent == null ? "" : "; agent output:\n" + agent.output()), e);
        }
    }

    /**
     * Registers a node for the server with the given public key (base64 X.509) and host size, and
     * sends one heartbeat with all of it free, so the server is ACTIVE; returns the registration
     * answer (node id, node token, next usage sequence).
     */
    JsonNode bringIntoService(String api, String provider, String serverId, String publicKey, int vcpus,
                              long memoryMib, long diskGib) throws IOException, InterruptedException {
        JsonNode node = call("POST", api + "/nodes", provider, """
                {"serverId": "%s", "publicKey": "%s", "hypervisor": "SIMULATED",
                 "capacity": {"vcpus": %d, "memoryMib": %d, "diskGib": %d}}"""
                .formatted(serverId, publicKey, vcpus, memoryMib, diskGib), 201);
        call("POST", api + "/node/heartbeat", "Bearer " + node.get("token").asText(), """
                {"free": {"vcpus": %d, "memoryMib": %d, "diskGib": %d}, "guests": []}"""
                .formatted(vcpus, memoryMib, diskGib), 200);
        return node;
    }

    /** An account with an API token, straight in the database as an operator creates it (no sign-up API yet). */
    static String account(String kind, String role) throws Exception {
        try (Connection db = connect()) {
            return account(db, kind, role);
        }
    }

    /** {@link #account(String, String)} in the database of the given connection (a test's own PostgreSQL). */
    static String account(Connection db, String kind, String role) throws Exception {
        String token = "xm_e2e_" + UUID.randomUUID().toString().replace("-", "");
        UUID accountId = UUID.randomUUID();
        try (PreparedStatement account = db.prepareStatement("INSERT INTO account (id, name, kind) VALUES (?, ?, ?)");
             PreparedStatement apiToken = db.prepareStatement(
                     "INSERT INTO api_token (id, account_id, role, token_hash, label) VALUES (?, ?, ?, ?, 'e2e')")) {
            account.setObject(1, accountId);
            account.setString(2, "E2E " + kind + " " + accountId);
            account.setString(3, kind);
            account.executeUpdate();
            apiToken.setObject(1, UUID.randomUUID());
            apiToken.setObject(2, accountId);
            apiToken.setString(3, role);
            apiToken.setBytes(4, MessageDigest.getInstance("SHA-256").digest(token.getBytes()));
            apiToken.executeUpdate();
        }
        return token;
    }

    static void update(String sql, Object parameter) throws Exception {
        try (Connection db = connect(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            assertEquals(1, statement.executeUpdate());
        }
    }

    /** A count; a {@code UUID[]} parameter (cast to Object at the call) binds as one uuid array. */
    static long count(String sql, Object... parameters) throws Exception {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof UUID[] uuids) {
                    query.setArray(i + 1, db.createArrayOf("uuid", uuids));
                } else {
                    query.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static Instant lastHeartbeat(String serverId) throws Exception {
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT last_heartbeat_at FROM server WHERE id = ?")) {
            query.setObject(1, UUID.fromString(serverId));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                java.sql.Timestamp at = row.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
    }
}
