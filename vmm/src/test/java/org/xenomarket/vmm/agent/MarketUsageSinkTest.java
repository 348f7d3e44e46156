package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.metering.batch.BatchVerification;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchVerifier;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.SignatureCheck;
import org.xenomarket.metering.signing.UsageRecordSigner;
import org.xenomarket.metering.upload.RecordOutcome;

/**
 * The agent sends signed batches, one signature over the records' hash chain, that verify under
 * its key; against a market without the batch endpoint (404) it sends records signed one by one,
 * and a batch the market refuses as broken (422) is sent again record by record.
 */
class MarketUsageSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "node-1";

    private final KeyPair key = NodeKeys.generate();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int batchStatus = 200;

    @BeforeEach
    void aMarket() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/node/usage", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MarketUsageSink sink() {
        return new MarketUsageSink(new MarketClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                "token", new Object(), new UsageBatchSigner(key.getPrivate()));
    }

    @Test
    void recordsGoAsOneSignedBatchThatVerifiesUnderTheNodesKey() throws Exception {
        Map<Long, RecordOutcome> outcomes = sink().send(records(1, 4));
        assertEquals(List.of("/api/v1/node/usage/batches"), paths);
        assertEquals(4, outcomes.size());
        assertTrue(outcomes.values().stream().allMatch(o -> o.kind() == RecordOutcome.Kind.ACCEPTED));
        UsageBatchWire sent = JSON.treeToValue(bodies.get(0), UsageBatchWire.class);
        BatchVerification verification = new UsageBatchVerifier(NODE, SignatureCheck.jdk(key.getPublic()))
                .verify(sent.toBatch());
        assertTrue(verification.isValid(), verification.detail());
        assertEquals(4, sent.records().size());
    }

    @Test
    void aMarketWithoutTheBatchEndpointGetsRecordsSignedOneByOneFromThenOn() throws Exception {
        batchStatus = 404;
        MarketUsageSink sink = sink();
        assertEquals(3, sink.send(records(1, 3)).size());
        assertEquals(3, sink.send(records(4, 6)).size());
        assertEquals(List.of("/api/v1/node/usage/batches", "/api/v1/node/usage", "/api/v1/node/usage"), paths,
                "the batch endpoint is not asked again at once");
        assertEquals(3, bodies.get(1).get("records").size());
        assertTrue(bodies.get(1).get("records").get(0).hasNonNull("signature"), "each record signed alone");
    }

    @Test
    void aBatchRefusedAsBrokenIsSentAgainRecordByRecordAndTheNextUploadIsABatch() throws Exception {
        batchStatus = 422;
        MarketUsageSink sink = sink();
        assertEquals(2, sink.send(records(1, 2)).size());
        batchStatus = 200;
        assertEquals(2, sink.send(records(3, 4)).size());
        assertEquals(List.of("/api/v1/node/usage/batches", "/api/v1/node/usage", "/api/v1/node/usage/batches"), paths);
    }

    private List<UsageRecord> records(long first, long last) {
        UsageRecordSigner signer = new UsageRecordSigner(key.getPrivate());
        Instant epoch = Instant.parse("2026-12-01T00:00:00Z");
        return LongStream.rangeClosed(first, last).mapToObj(s -> signer.sign(new UsageStatement(NODE, s, "lease-1",
                new Interval(epoch.plusSeconds(s), epoch.plusSeconds(s + 1)), new Usage(s, 1, 2, 3, 4, 5)))).toList();
    }

    /** Answers every record ACCEPTED, or the batch endpoint's configured refusal. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            paths.add(path);
            bodies.add(body);
            int status = path.endsWith("/batches") ? batchStatus : 200;
            var answer = JSON.createObjectNode();
            if (status == 200) {
                ArrayNode results = answer.putArray("results");
                body.get("records").forEach(r -> results.addObject().put("sequence", r.get("sequence").asLong())
                        .put("outcome", "ACCEPTED"));
            } else {
                answer.put("status", status);
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
