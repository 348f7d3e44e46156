package org.xenomarket.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * Usage ingestion end to end, beside a raw PostgreSQL COPY of the same rows into the same table in
 * the same run (issue 7, item 6). Not a test (its name matches no test pattern): after
 * {@code ./mvnw install -DskipTests}, run it from {@code tests/} with
 * {@code ../mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.xenomarket.tests.UsageIngestionBench -Dexec.args=20000}.
 */
public final class UsageIngestionBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageIngestionBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batch = 1_000;
        Path work = Files.createTempDirectory("xenomarket-ingest-bench");
        E2e e2e = new E2e();
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"),
                List.of("-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + E2e.DATABASE),
                Duration.ofMinutes(3))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            double lat = ThreadLocalRandom.current().nextDouble(-60, 60);
            double lon = ThreadLocalRandom.current().nextDouble(-179, 179);
            String site = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            e2e.call("POST", api + "/sites", provider, """
                    {"code": "%s", "region": "eu-west", "city": "Benchville", "country": "GB",
                     "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}""".formatted(site, lat, lon), 201);
            String serverId = e2e.call("POST", api + "/servers", provider, """
                    {"name": "%s", "site": "%s", "hypervisor": "SIMULATED",
                     "capacity": {"vcpus": 8, "memoryMib": 16384, "diskGib": 100, "egressMbps": 1000}}"""
                    .formatted(site, site), 201).get("id").asText();
            KeyPair key = NodeKeys.generate();
            var node = e2e.bringIntoService(api, provider, serverId, NodeKeys.publicKeyToBase64(key.getPublic()),
                    8, 16384, 100);
            String nodeId = node.get("id").asText();
            String nodeToken = node.get("token").asText();
            String leaseId = e2e.call("POST", api + "/bids", sponsor, """
                    {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 5},
                     "placement": {"latitude": %s, "longitude": %s, "withinKm": 10},
                     "durationHours": 1, "maxPricePerHour": {"amount": "100", "currency": "EUR"}}"""
                    .formatted(lat, lon), 201).get("leaseId").asText();
            Instant start = Instant.parse(e2e.call("GET", api + "/leases/" + leaseId, sponsor, null, 200)
                    .get("start").asText()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);

            // One-millisecond records, contiguous, all inside the lease and not in the future.
            UsageRecordSigner signer = new UsageRecordSigner(key.getPrivate());
            List<UsageRecord> signed = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                signed.add(signer.sign(new UsageStatement(nodeId, i + 1, leaseId,
                        new Interval(start.plusMillis(i), start.plusMillis(i + 1)), new Usage(1_000, 1, 10, 20, 30, 40))));
            }
            List<String> bodies = new ArrayList<>();
            for (int from = 0; from < records; from += batch) {
                List<UsageRecordWire> wires = signed.subList(from, Math.min(records, from + batch)).stream()
                        .map(UsageRecordWire::from).toList();
                bodies.add(JSON.writeValueAsString(Map.of("records", wires)));
            }

            HttpClient http = HttpClient.newHttpClient();
            long began = System.nanoTime();
            int accepted = 0;
            for (String body : bodies) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/node/usage"))
                        .header("Authorization", "Bearer " + nodeToken).header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                accepted += JSON.readTree(answer.body()).get("accepted").asInt();
            }
            double ingestSeconds = (System.nanoTime() - began) / 1e9;

            // The same rows by COPY into the same table, under other sequence numbers and an hour later in
            // the lease, so that neither the key nor the no-overlap constraint refuses them.
            StringBuilder csv = new StringBuilder();
            for (UsageRecord r : signed) {
                csv.append(nodeId).append(',').append(r.sequence() + records).append(',').append(leaseId).append(',')
                        .append(r.t0().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(',')
                        .append(r.t1().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(",1000,1,10,20,30,40,\\x")
                        .append(HexFormat.of().formatHex(r.signature().bytes())).append('\n');
            }
            long copied;
            double copySeconds;
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + E2e.DATABASE,
                    "postgres", "")) {
                long copyBegan = System.nanoTime();
                copied = db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY usage_record (node_id, sequence, "
                        + "lease_id, t0, t1, cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes, disk_read_bytes, "
                        + "disk_write_bytes, signature) FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
                copySeconds = (System.nanoTime() - copyBegan) / 1e9;
            }
            System.out.printf("records %d (batches of %d, one client): ingested %d in %.2f s = %.0f records/s%n",
                    records, batch, accepted, ingestSeconds, accepted / ingestSeconds);
            System.out.printf("raw COPY of the same rows into usage_record: %d in %.2f s = %.0f rows/s%n",
                    copied, copySeconds, copied / copySeconds);
            System.out.printf("ratio ingestion / COPY: %.4f%n", (accepted / ingestSeconds) / (copied / copySeconds));
        }
    }
}
