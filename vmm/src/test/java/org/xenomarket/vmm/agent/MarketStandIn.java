package org.xenomarket.vmm.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for the market's lease report endpoint: accepts every
 * {@code POST /api/v1/node/leases/{id}/state} and keeps the bodies, so a test reads what the
 * agent told the market.
 */
final class MarketStandIn implements AutoCloseable {

    /** One report as the market received it. */
    record Report(String lease, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/node/leases/";

    private final HttpServer server;
    private final List<Report> reports = new CopyOnWriteArrayList<>();

    MarketStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PREFIX, exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/state")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String lease = path.substring(PREFIX.length(), path.length() - "/state".length());
            reports.add(new Report(lease, JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every report, in the order they came. */
    List<Report> reports() {
        return List.copyOf(reports);
    }

    /** The reports of FAILED, in the order they came. */
    List<Report> failures() {
        return reports.stream().filter(r -> r.body().path("state").asText().equals("FAILED")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
