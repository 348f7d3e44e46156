package org.xenomarket.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageStatement;

/**
 * A node agent in miniature, in the test's JVM, speaking the agent's real protocol to one market
 * replica: it heartbeats, fetches its leases, reports new ones RUNNING, and sends the usage of each
 * running lease since its last record as one signed batch, through NATS JetStream (the batch's head
 * as message id, as the real agent's StreamUsageSink does) or by HTTP. Records not acknowledged
 * (NATS restarting, a replica gone) stay pending and go again with the next tick, so the agent
 * knows exactly which records it delivered: the simulation compares that with the database.
 */
final class SimulatedAgent {

    /** How the agent sends usage. */
    enum Transport { NATS, HTTP }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Batches larger than this wait for the next tick: keeps a message well below NATS's 1 MiB. */
    private static final int MAX_BATCH = 500;

    final String serverId;
    final int vcpus;
    final Transport transport;
    private final KeyPair key = ed25519();
    private final UsageBatchSigner signer = new UsageBatchSigner(key.getPrivate());
    private final Map<String, LeaseWindow> leases = new LinkedHashMap<>();
    private final Set<String> reportedRunning = new HashSet<>();
    private final List<UsageStatement> pending = new ArrayList<>();
    private String nodeId;
    private String token;
    private long nextSequence = 1;
    private long deliveredRecords;
    private long deliveredCpuNanos;
    private long failedSends;
    private String lastFailure;

    private record LeaseWindow(Instant start, Instant end, int vcpus, Instant[] reportedUntil) {
    }

    SimulatedAgent(String serverId, int vcpus, Transport transport) {
        this.serverId = serverId;
        this.vcpus = vcpus;
        this.transport = transport;
    }

    String publicKey() {
        return Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    }

    /** Registers the node (POST /nodes as its provider) and sends its first heartbeat, so its server is ACTIVE. */
    synchronized void register(E2e e2e, String api, String provider, long memoryMib, long diskGib) throws Exception {
        JsonNode node = whileBusy(() -> e2e.call("POST", api + "/nodes", provider, """
                {"serverId": "%s", "publicKey": "%s", "hypervisor": "SIMULATED",
                 "capacity": {"vcpus": %d, "memoryMib": %d, "diskGib": %d}}"""
                .formatted(serverId, publicKey(), vcpus, memoryMib, diskGib), 201));
        nodeId = node.get("id").asText();
        token = "Bearer " + node.get("token").asText();
        // the first heartbeat, with everything free, makes the server ACTIVE
        whileBusy(() -> e2e.call("POST", api + "/node/heartbeat", token, """
                {"free": {"vcpus": %d, "memoryMib": %d, "diskGib": %d}, "guests": []}"""
                .formatted(vcpus, memoryMib, diskGib), 200));
        if (node.hasNonNull("nextUsageSequence")) {
            nextSequence = node.get("nextUsageSequence").asLong();
        }
    }

    /**
     * One tick of the agent: heartbeat, leases, usage. Answers false when a call to the market
     * failed (the agent tries again next tick, as the real one does).
     */
    synchronized boolean tick(HttpClient http, String api, NatsConnections.Slot nats, String subjectPrefix) {
        try {
            post(http, api + "/node/heartbeat", """
                    {"free": {"vcpus": %d, "memoryMib": %d, "diskGib": %d}, "guests": []}"""
                    .formatted(Math.max(0, vcpus - leasedVcpus()), 1024L * Math.max(0, vcpus - leasedVcpus()), 100), 200);
            refreshLeases(http, api);
            meter(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            flush(http, api, nats, subjectPrefix);
            return true;
        } catch (IOException | JetStreamApiException | IllegalStateException failure) {
            failedSends++;
            lastFailure = failure.toString();
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends what is pending and nothing new: the end of the day. Answers whether nothing is left pending. */
    synchronized boolean drain(HttpClient http, String api, NatsConnections.Slot nats, String subjectPrefix) {
        try {
            flush(http, api, nats, subjectPrefix);
        } catch (IOException | JetStreamApiException | IllegalStateException failure) {
            failedSends++;
            lastFailure = failure.toString();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return pending.isEmpty();
    }

    private int leasedVcpus() {
        return leases.values().stream().mapToInt(LeaseWindow::vcpus).sum();
    }

    private void refreshLeases(HttpClient http, String api) throws IOException, InterruptedException {
        JsonNode assigned = JSON.readTree(call(http, "GET", api + "/node/leases", null, 200));
        for (JsonNode lease : assigned) {
            String id = lease.get("id").asText();
            if (!leases.containsKey(id)) {
                // records are in whole milliseconds, and must lie within the lease
                Instant start = ceilingMillis(Instant.parse(lease.get("start").asText()));
                leases.put(id, new LeaseWindow(start, Instant.parse(lease.get("end").asText()).truncatedTo(ChronoUnit.MILLIS),
                        lease.get("resources").get("vcpus").asInt(), new Instant[] {start}));
            }
            if (reportedRunning.add(id) && "PENDING".equals(lease.get("state").asText())) {
                // the guest "starts" at once; a refusal (the lease moved on meanwhile) changes nothing here
                call(http, "POST", api + "/node/leases/" + id + "/state", "{\"state\": \"RUNNING\"}", -1);
            }
        }
    }

    /** One record per lease for the time since its last record, within the lease's window. */
    private void meter(Instant now) {
        for (Map.Entry<String, LeaseWindow> entry : leases.entrySet()) {
            LeaseWindow lease = entry.getValue();
            Instant from = lease.reportedUntil()[0];
            Instant to = now.isBefore(lease.end()) ? now : lease.end();
            if (Duration.between(from, to).toMillis() < 1_000) {
                continue;
            }
            long millis = Duration.between(from, to).toMillis();
            // half of every vCPU busy, 1 GiB per vCPU, a little traffic: exact integers, summed later by SQL
            Usage usage = new Usage(millis * 500_000L * lease.vcpus(), millis / 1000 * 1024L * lease.vcpus(),
                    millis * 10, millis * 20, millis, millis * 2);
            pending.add(new UsageStatement(nodeId, nextSequence++, entry.getKey(), new Interval(from, to), usage));
            lease.reportedUntil()[0] = to;
        }
    }

    private void flush(HttpClient http, String api, NatsConnections.Slot nats, String subjectPrefix)
            throws IOException, InterruptedException, JetStreamApiException {
        while (!pending.isEmpty()) {
            List<UsageStatement> records = List.copyOf(pending.subList(0, Math.min(MAX_BATCH, pending.size())));
            SignedBatch batch = signer.sign(records);
            byte[] body = JSON.writeValueAsBytes(UsageBatchWire.from(batch));
            if (transport == Transport.NATS) {
                // acknowledged by the stream = stored durably; the same records again carry the same id
                Connection connection = nats.get();
                try {
                    connection.jetStream().publish(subjectPrefix + "." + nodeId, body, PublishOptions.builder()
                            .messageId("usage-" + nodeId + "-" + HexFormat.of().formatHex(batch.head())).build());
                } catch (IOException | JetStreamApiException | IllegalStateException failed) {
                    nats.broken(connection);
                    throw failed;
                }
            } else {
                JsonNode answer = JSON.readTree(call(http, "POST", api + "/node/usage/batches",
                        new String(body, java.nio.charset.StandardCharsets.UTF_8), 200));
                if (answer.get("rejected").asInt() != 0) {
                    throw new IllegalStateException("the market rejected records of node " + nodeId + ": " + answer);
                }
            }
            for (UsageStatement record : records) {
                deliveredRecords++;
                deliveredCpuNanos += record.usage().cpuNanos();
            }
            pending.subList(0, records.size()).clear();
        }
    }

    private void post(HttpClient http, String url, String body, int expected) throws IOException, InterruptedException {
        call(http, "POST", url, body, expected);
    }

    /** A call as the node; {@code expected} -1 takes any answer. */
    private String call(HttpClient http, String method, String url, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", token)
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected != -1 && response.statusCode() != expected) {
            throw new IOException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Calls again while the market answers 503 database-unavailable (its connection pool busy on a
     * loaded machine; the answer says nothing was stored), as a provider's script or an agent would.
     */
    static <T> T whileBusy(java.util.concurrent.Callable<T> call) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (AssertionError busy) {
                if (attempt == 20 || !String.valueOf(busy.getMessage()).contains("database-unavailable")) {
                    throw busy;
                }
                Thread.sleep(250L * attempt);
            }
        }
    }

    synchronized boolean hasLeases() {
        return !leases.isEmpty();
    }

    synchronized String nodeId() {
        return nodeId;
    }

    synchronized long deliveredRecords() {
        return deliveredRecords;
    }

    synchronized long deliveredCpuNanos() {
        return deliveredCpuNanos;
    }

    synchronized int pendingRecords() {
        return pending.size();
    }

    synchronized String lastFailure() {
        return lastFailure;
    }

    synchronized long failedSends() {
        return failedSends;
    }

    private static Instant ceilingMillis(Instant at) {
        Instant down = at.truncatedTo(ChronoUnit.MILLIS);
        return down.equals(at) ? at : down.plusMillis(1);
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java 17 has Ed25519", e);
        }
    }
}
