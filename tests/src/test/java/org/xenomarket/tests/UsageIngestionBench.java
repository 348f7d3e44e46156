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
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.postgresql.PGConnection;
import org.xenomarket.metering.batch.SignedBatch;
import org.xenomarket.metering.batch.UsageBatchSigner;
import org.xenomarket.metering.batch.UsageBatchWire;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.CanonicalEncoding;
import org.xenomarket.metering.record.RecordSignature;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;

/**
 * Usage ingestion end to end, beside a raw PostgreSQL COPY of the same rows into the same table in
 * the same run (issue 7, item 6), and beside the market's own batch INSERT statement sent over JDBC
 * (what the insert alone costs, without HTTP, JSON and signature checks). Not a test (its name
 * matches no test pattern). Arguments: records, records per batch, concurrent clients, rounds, and
 * {@code nats} to also publish each round's signed batches through NATS JetStream. Run from {@code tests/} after {@code ./mvnw -q -pl tests -am package -DskipTests} (docs/benchmarks.md has
 * the exact command). Each round also ingests as many records as signed batches (one signature per
 * batch over a hash chain, issue 17 item 3) and COPYs them as those batches store them.
 */
public final class UsageIngestionBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The statement UsageBatchRepository sends, with text arrays for what JDBC cannot bind as arrays. */
    private static final String BATCH_INSERT = """
            INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,
                net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)
            SELECT ?::uuid, * FROM unnest(?::bigint[], ?::uuid[], ?::timestamptz[], ?::timestamptz[],
                ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bytea[])
            ON CONFLICT (node_id, sequence) DO NOTHING
            RETURNING sequence
            """;

    private UsageIngestionBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int warmUp = Math.min(20_000, records / 5);
        // "nats" as fifth argument: each round also publishes its signed batches through NATS JetStream.
        boolean nats = args.length > 4 && args[4].equals("nats");
        String natsUrl = System.getenv().getOrDefault("XENOMARKET_NATS_URL", "nats://127.0.0.1:4222");
        String natsRun = UUID.randomUUID().toString().substring(0, 8);
        String natsStream = "XM_USAGE_BENCH_" + natsRun;
        String natsPrefix = "xm.usage-bench-" + natsRun;
        Path work = Files.createTempDirectory("xenomarket-ingest-bench");
        E2e e2e = new E2e();
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"),
                nats ? List.of("-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + E2e.DATABASE,
                        "-Dxenomarket.usage.nats.url=" + natsUrl, "-Dxenomarket.usage.nats.stream=" + natsStream,
                        "-Dxenomarket.usage.nats.subject-prefix=" + natsPrefix)
                        : List.of("-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + E2e.DATABASE),
                Duration.ofMinutes(3));
             io.nats.client.Connection natsClient = nats ? io.nats.client.Nats.connect(natsUrl) : null) {
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

            // One-millisecond records, contiguous, inside the lease and not in the future: the warm-up ones
            // (which wake the market's JIT and pools up and are not timed), then one slice per round.
            // Each round times ingestion, the batch INSERT and COPY back to back, so that the load of a
            // shared machine, which swings from minute to minute, weighs on all three alike.
            int perRound = records / rounds;
            List<UsageRecord> warm = sign(key, nodeId, leaseId, start, 1, warmUp);
            HttpClient http = HttpClient.newHttpClient();
            upload(http, api, nodeToken, bodies(warm, batch), clients);
            // Signed batches (issue 17, item 3) go after all of the above in the lease, under other sequences.
            Instant signedStart = start.plusMillis(warmUp + records + 3_000L);
            long signedSequences = 30L * records;
            UsageBatchSigner batchSigner = new UsageBatchSigner(key.getPrivate());
            List<UsageRecord> warmSigned = sign(key, nodeId, leaseId, signedStart, signedSequences + 1, warmUp);
            post(http, api + "/node/usage/batches", nodeToken, signedBodies(batchSigner, warmSigned, batch), clients);
            double signedTotal = 0;
            double natsTotal = 0;
            Instant natsStart = signedStart.plusMillis(warmUp + records + 3_000L);
            double chainedCopyTotal = 0;
            List<Double> signedRatios = new ArrayList<>();
            double ingestTotal = 0;
            double insertTotal = 0;
            double copyTotal = 0;
            List<Double> ratios = new ArrayList<>();
            System.out.printf("records %d in %d rounds (batches of %d, %d clients, %d warm-up records first)%n",
                    perRound * rounds, rounds, batch, clients, warmUp);
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + E2e.DATABASE,
                    "postgres", "")) {
                for (int round = 0; round < rounds; round++) {
                    long first = warmUp + 1L + (long) round * perRound;
                    List<UsageRecord> signed = sign(key, nodeId, leaseId, start.plusMillis(first + 1_000L), first,
                            perRound);
                    List<String> bodies = bodies(signed, batch);
                    long began = System.nanoTime();
                    int accepted = upload(http, api, nodeToken, bodies, clients);
                    double ingestSeconds = (System.nanoTime() - began) / 1e9;
                    if (accepted != perRound) {
                        throw new IllegalStateException("only " + accepted + " of " + perRound + " were accepted");
                    }
                    List<UsageRecord> chained = sign(key, nodeId, leaseId,
                            signedStart.plusMillis(warmUp + 1_000L + (long) round * perRound),
                            signedSequences + first, perRound);
                    List<String> signedBodies = signedBodies(batchSigner, chained, batch);
                    began = System.nanoTime();
                    int signedAccepted = post(http, api + "/node/usage/batches", nodeToken, signedBodies, clients);
                    double signedSeconds = (System.nanoTime() - began) / 1e9;
                    if (signedAccepted != perRound) {
                        throw new IllegalStateException("only " + signedAccepted + " of " + perRound
                                + " signed-batch records were accepted");
                    }
                    if (nats) {
                        List<UsageRecord> streamed = sign(key, nodeId, leaseId,
                                natsStart.plusMillis(1_000L + (long) round * perRound), 40L * records + first, perRound);
                        // NATS takes at most 1 MiB a message by default: 2,500 records are about 0.75 MB.
                        List<String> streamedBodies = signedBodies(batchSigner, streamed, Math.min(batch, 2_500));
                        began = System.nanoTime();
                        for (String body : streamedBodies) {
                            natsClient.jetStream().publish(natsPrefix + "." + nodeId,
                                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        }
                        awaitStored(db, nodeId, 40L * records + first, perRound);
                        double natsSeconds = (System.nanoTime() - began) / 1e9;
                        natsTotal += natsSeconds;
                        System.out.printf("round %d: through NATS JetStream, published to committed: %.0f records/s%n",
                                round + 1, perRound / natsSeconds);
                    }
                    // The same rows with the market's batch statement, half an hour later in the lease, and by
                    // COPY an hour later, under other sequence numbers, so that neither the key nor the
                    // no-overlap constraint refuses them.
                    double insertSeconds = batchInsert(db, nodeId, leaseId, signed, batch, 10L * records,
                            Duration.ofMinutes(30));
                    double copySeconds = copy(db, nodeId, leaseId, signed, 20L * records);
                    // COPY of the rows as signed batches store them: batch id and chain hash instead of a signature.
                    double chainedCopySeconds = copyChained(db, nodeId, leaseId, chained, 50L * records);
                    signedTotal += signedSeconds;
                    chainedCopyTotal += chainedCopySeconds;
                    signedRatios.add(chainedCopySeconds / signedSeconds);
                    System.out.printf("round %d: signed batches %.0f records/s, COPY of their rows %.0f rows/s,"
                            + " ratio %.3f%n", round + 1, perRound / signedSeconds, perRound / chainedCopySeconds,
                            chainedCopySeconds / signedSeconds);
                    ingestTotal += ingestSeconds;
                    insertTotal += insertSeconds;
                    copyTotal += copySeconds;
                    ratios.add(copySeconds / ingestSeconds);
                    System.out.printf("round %d: ingestion %.0f records/s, batch INSERT %.0f rows/s, COPY %.0f rows/s,"
                            + " ratio %.3f%n", round + 1, perRound / ingestSeconds, perRound / insertSeconds,
                            perRound / copySeconds, copySeconds / ingestSeconds);
                }
            }
            int total = perRound * rounds;
            System.out.printf("ingested through POST /api/v1/node/usage: %d in %.2f s = %.0f records/s%n",
                    total, ingestTotal, total / ingestTotal);
            System.out.printf("the market's batch INSERT over JDBC, one client: %d in %.2f s = %.0f rows/s%n",
                    total, insertTotal, total / insertTotal);
            System.out.printf("raw COPY of the same rows into usage_record: %d in %.2f s = %.0f rows/s%n",
                    total, copyTotal, total / copyTotal);
            System.out.printf("ratio ingestion / COPY: %.3f overall, per round %s%n", copyTotal / ingestTotal,
                    ratios.stream().map(r -> String.format("%.3f", r)).toList());
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("ingested as signed batches through POST /api/v1/node/usage/batches: %d in %.2f s"
                    + " = %.0f records/s = %.0f records/s per core (%d cores)%n", total, signedTotal,
                    total / signedTotal, total / signedTotal / cores, cores);
            System.out.printf("raw COPY of the same rows as signed batches store them: %d in %.2f s = %.0f rows/s%n",
                    total, chainedCopyTotal, total / chainedCopyTotal);
            if (nats) {
                System.out.printf("signed batches through NATS JetStream, published to committed: %d in %.2f s"
                        + " = %.0f records/s%n", total, natsTotal, total / natsTotal);
                natsClient.jetStreamManagement().deleteStream(natsStream);
            }
            System.out.printf("ratio signed batches / COPY: %.3f overall, per round %s%n",
                    chainedCopyTotal / signedTotal,
                    signedRatios.stream().map(r -> String.format("%.3f", r)).toList());
        }
    }

    /** Signs {@code count} records from {@code firstSequence}; BouncyCastle, to keep the bench's own set-up short. */
    private static List<UsageRecord> sign(KeyPair key, String nodeId, String leaseId, Instant from, long firstSequence,
                                          int count) {
        byte[] pkcs8 = key.getPrivate().getEncoded();
        Ed25519PrivateKeyParameters raw = new Ed25519PrivateKeyParameters(pkcs8, pkcs8.length - 32);
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            UsageStatement statement = new UsageStatement(nodeId, firstSequence + i, leaseId,
                    new Interval(from.plusMillis(i), from.plusMillis(i + 1)), new Usage(1_000, 1, 10, 20, 30, 40));
            byte[] message = CanonicalEncoding.encode(statement);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, raw);
            signer.update(message, 0, message.length);
            return new UsageRecord(statement, RecordSignature.of(signer.generateSignature()));
        }).toList();
    }

    private static List<String> bodies(List<UsageRecord> records, int batch) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < records.size(); from += batch) {
            List<UsageRecordWire> wires = records.subList(from, Math.min(records.size(), from + batch)).stream()
                    .map(UsageRecordWire::from).toList();
            bodies.add(JSON.writeValueAsString(Map.of("records", wires)));
        }
        return bodies;
    }

    /** Polls until the {@code count} records from sequence {@code first} on are stored (the stream's consumer). */
    private static void awaitStored(Connection db, String nodeId, long first, int count) throws Exception {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT count(*) FROM usage_record WHERE node_id = ? AND sequence >= ? AND sequence < ?")) {
            s.setObject(1, UUID.fromString(nodeId));
            s.setLong(2, first);
            s.setLong(3, first + count);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                try (var r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) == count) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("records published through NATS not all stored within 5 minutes");
    }

    /** Signed batches of {@code batch} records, as the agent sends them. */
    private static List<String> signedBodies(UsageBatchSigner signer, List<UsageRecord> records, int batch)
            throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < records.size(); from += batch) {
            SignedBatch signed = signer.sign(records.subList(from, Math.min(records.size(), from + batch)).stream()
                    .map(UsageRecord::statement).toList());
            bodies.add(JSON.writeValueAsString(UsageBatchWire.from(signed)));
        }
        return bodies;
    }

    private static int upload(HttpClient http, String api, String nodeToken, List<String> bodies, int clients)
            throws Exception {
        return post(http, api + "/node/usage", nodeToken, bodies, clients);
    }

    /** Posts the bodies to {@code endpoint} from {@code clients} threads at once; answers the records accepted. */
    private static int post(HttpClient http, String endpoint, String nodeToken, List<String> bodies, int clients)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(pool.submit(() -> {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                            .header("Authorization", "Bearer " + nodeToken).header("Content-Type", "application/json")
                            .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
                    }
                    return JSON.readTree(answer.body()).get("accepted").asInt();
                }));
            }
            int accepted = 0;
            for (Future<Integer> answer : answers) {
                accepted += answer.get();
            }
            return accepted;
        } finally {
            pool.shutdown();
        }
    }

    private static double batchInsert(Connection db, String nodeId, String leaseId, List<UsageRecord> rows, int batch,
                                      long sequenceOffset, Duration later) throws Exception {
        long began = System.nanoTime();
        for (int from = 0; from < rows.size(); from += batch) {
            List<UsageRecord> part = rows.subList(from, Math.min(rows.size(), from + batch));
            int n = part.size();
            Long[] sequence = new Long[n];
            String[] t0 = new String[n];
            String[] t1 = new String[n];
            Long[] amount = new Long[n];
            byte[][] signature = new byte[n][];
            for (int i = 0; i < n; i++) {
                UsageRecord r = part.get(i);
                sequence[i] = r.sequence() + sequenceOffset;
                t0[i] = r.t0().plus(later).toString();
                t1[i] = r.t1().plus(later).toString();
                amount[i] = 1_000L;
                signature[i] = r.signature().bytes();
            }
            UUID[] lease = new UUID[n];
            Arrays.fill(lease, UUID.fromString(leaseId));
            try (PreparedStatement insert = db.prepareStatement(BATCH_INSERT)) {
                insert.setObject(1, UUID.fromString(nodeId));
                insert.setArray(2, db.createArrayOf("bigint", sequence));
                insert.setArray(3, db.createArrayOf("uuid", lease));
                insert.setArray(4, db.createArrayOf("text", t0));
                insert.setArray(5, db.createArrayOf("text", t1));
                for (int column = 6; column <= 11; column++) {
                    insert.setArray(column, db.createArrayOf("bigint", amount));
                }
                insert.setArray(12, db.createArrayOf("bytea", signature));
                insert.execute();
            }
        }
        return (System.nanoTime() - began) / 1e9;
    }

    /** COPY of rows shaped as signed batches store them: the bench's first batch row of the node, a chain hash. */
    private static double copyChained(Connection db, String nodeId, String leaseId, List<UsageRecord> rows,
                                      long sequenceOffset) throws Exception {
        String batchId;
        try (PreparedStatement s = db.prepareStatement("SELECT id FROM usage_batch WHERE node_id = ? LIMIT 1")) {
            s.setObject(1, UUID.fromString(nodeId));
            try (var r = s.executeQuery()) {
                r.next();
                batchId = r.getString(1);
            }
        }
        StringBuilder csv = new StringBuilder();
        byte[] chainHash = new byte[32];
        for (UsageRecord r : rows) {
            ThreadLocalRandom.current().nextBytes(chainHash);
            csv.append(nodeId).append(',').append(r.sequence() + sequenceOffset).append(',').append(leaseId).append(',')
                    .append(r.t0().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(',')
                    .append(r.t1().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(",1000,1,10,20,30,40,")
                    .append(batchId).append(",\\x").append(HexFormat.of().formatHex(chainHash)).append('\n');
        }
        long began = System.nanoTime();
        db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY usage_record (node_id, sequence, lease_id, t0, t1, "
                + "cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, "
                + "batch_id, chain_hash) FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        return (System.nanoTime() - began) / 1e9;
    }

    private static double copy(Connection db, String nodeId, String leaseId, List<UsageRecord> rows,
                               long sequenceOffset) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (UsageRecord r : rows) {
            csv.append(nodeId).append(',').append(r.sequence() + sequenceOffset).append(',').append(leaseId).append(',')
                    .append(r.t0().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(',')
                    .append(r.t1().plus(1, ChronoUnit.HOURS).minusSeconds(1)).append(",1000,1,10,20,30,40,\\x")
                    .append(HexFormat.of().formatHex(r.signature().bytes())).append('\n');
        }
        long began = System.nanoTime();
        db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY usage_record (node_id, sequence, lease_id, t0, t1, "
                + "cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, "
                + "signature) FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        return (System.nanoTime() - began) / 1e9;
    }
}
