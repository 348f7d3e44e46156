package org.xenomarket.vmm.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The market's node API as a real HTTP server with a few fixed answers: registration hands out
 * {@link #NODE_TOKEN}, heartbeats are acknowledged, the lease list holds the leases {@link #assign}ed,
 * and each lease's state follows the agent's reports. It remembers every request.
 */
final class StandInMarket implements AutoCloseable {

    static final String NODE_TOKEN = "stand-in-node-token";

    /** One request the agent made. */
    record Request(String method, String path, String authorization, JsonNode body) {
    }

    private record Lease(UUID id, int vcpus, long memoryMib, long diskGib, Instant start, Instant end) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<UUID, Lease> leases = new ConcurrentHashMap<>();
    private final Map<UUID, String> states = new ConcurrentHashMap<>();
    private final String nodeId = UUID.randomUUID().toString();

    StandInMarket() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String nodeId() {
        return nodeId;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Assigns a lease of one vCPU to the node, from now for an hour. */
    UUID assign() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        leases.put(id, new Lease(id, 1, 512, 5, now.minusSeconds(60), now.plusSeconds(3600)));
        states.put(id, "PENDING");
        return id;
    }

    String state(UUID lease) {
        return states.get(lease);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] sent = exchange.getRequestBody().readAllBytes();
            JsonNode body = sent.length == 0 ? null : JSON.readTree(sent);
            String method = exchange.getRequestMethod();
            requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Authorization"), body));
            switch (method + " " + path) {
                case "POST /api/v1/nodes" -> answer(exchange, 201, JSON.createObjectNode().put("id", nodeId)
                        .put("token", NODE_TOKEN).put("nextUsageSequence", 1));
                case "POST /api/v1/node/heartbeat" -> answer(exchange, 200, JSON.createObjectNode()
                        .put("serverState", "ACTIVE").set("stopGuests", JSON.createArrayNode()));
                case "GET /api/v1/node/leases" -> answer(exchange, 200, leaseList());
                case "POST /api/v1/node/usage" -> answer(exchange, 200,
                        JSON.createObjectNode().set("results", JSON.createArrayNode()));
                default -> {
                    if (method.equals("POST") && path.matches("/api/v1/node/leases/[^/]+/state")) {
                        states.put(UUID.fromString(path.split("/")[5]), body.get("state").asText());
                        answer(exchange, 200, JSON.createObjectNode());
                    } else {
                        // The lease event stream among others: the agent falls back to polling.
                        answer(exchange, 404, JSON.createObjectNode().put("title", "not in the stand-in"));
                    }
                }
            }
        }
    }

    private ArrayNode leaseList() {
        ArrayNode list = JSON.createArrayNode();
        for (Lease lease : leases.values()) {
            var item = list.addObject().put("id", lease.id().toString()).put("state", states.get(lease.id()))
                    .put("start", lease.start().toString()).put("end", lease.end().toString());
            item.putObject("resources").put("vcpus", lease.vcpus()).put("memoryMib", lease.memoryMib())
                    .put("diskGib", lease.diskGib());
        }
        return list;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
