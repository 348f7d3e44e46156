package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;

/**
 * Usage metering end to end, market and agent as processes on the simulated driver: a lease's
 * guest is sampled every second, its usage recorded, signed, spooled and uploaded; the market's
 * hourly usage of the lease equals the ground truth of the simulated hypervisor's counters. Then
 * the agent is killed with -9 again and again during uploads, and the market once; after they
 * settle, no record is lost or counted twice: the lease's records meet end to end with no gap,
 * and their sum equals the ground truth up to the last recorded instant.
 *
 * <p>Ground truth: the simulated guest's counters are a closed-form function of how long it has
 * run at its load under its caps (see {@code SimulatedGuest.counters}), and its start instant is in
 * the simulated host file, which outlives the agent as a libvirt domain would. So the counters at
 * any instant are known without asking the agent, and a guest's usage over {@code [t0, t1)} is
 * {@code C(t1) - C(t0)}; the guest's default load is {@code GuestLoad.typical()}.
 */
class UsageMeteringTest {

    private final E2e e2e = new E2e();

    /** One lease's records as the market stored them. */
    private record Stored(int count, Instant firstT0, Instant lastT1, long[] sums, int gaps, long maxSequence) {
    }

    @Test
    void usageIsMeteredExactlyOnceThroughKillMinusNineOfTheAgentAndTheMarket() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-usage-test");
        int port = MarketProcess.freePort();
        List<String> marketSettings = List.of("-Dxenomarket.database.host=127.0.0.1",
                "-Dxenomarket.database.name=" + E2e.DATABASE);
        MarketProcess market = MarketProcess.start(work.resolve("market.log"), marketSettings, Duration.ofMinutes(3), port);
        AgentProcess agent = null;
        try {
            String api = market.baseUrl() + "/api/v1";
            awaitAnswering(api);
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED",
                    Size.vcpus(8).memoryMib(16384).diskGib(200));
            Path stateDir = work.resolve("agent-state");
            Path vmmDir = work.resolve("vmm");
            Map<String, String> settings = agentSettings(market.baseUrl(), serverId, stateDir, vmmDir, work);
            Path agentLog = work.resolve("agent.log");
            agent = AgentProcess.start(agentLog, settings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())));
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals, Duration.ofSeconds(60), agent);
            String leaseId = e2e.bid(api, sponsor, place,
                    Size.vcpus(2).memoryMib(2048).diskGib(20)).get("leaseId").asText();
            e2e.await(() -> e2e.state(api + "/leases/" + leaseId, sponsor), "RUNNING"::equals, Duration.ofSeconds(30), agent);
            Instant startedAt = guestStartedAt(vmmDir, leaseId);

            // 1. Some sampling intervals: the API's hourly usage equals the hypervisor's counters.
            e2e.await(() -> stored(leaseId).count(), count -> count >= 5, Duration.ofSeconds(30), agent);
            Stored snapshot = consistentWithApi(api, sponsor, leaseId);
            assertEquals(0, snapshot.gaps(), "records meet end to end");
            assertEquals(startedAt, snapshot.firstT0(), "metered from the guest's start, not from its first sample");
            assertArrayEquals(truth(startedAt, snapshot.firstT0(), snapshot.lastT1()), snapshot.sums(),
                    "usage of [" + snapshot.firstT0() + ", " + snapshot.lastT1() + ")");

            // 2. kill -9 the agent during uploads, again and again, and the market once.
            // Each kill comes after this start of the agent has uploaded at least once, at a random point
            // of its upload cycle (a batch of 3 every 0.2 s), so kills land before, during and after uploads.
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int kills = 6;
            for (int round = 0; round < kills; round++) {
                awaitNewUpload(agent, agentLog);
                Thread.sleep(random.nextLong(0, 1_200));
                if (round == 2) {
                    // The market dies mid-upload too; the agent retries, then is killed while it does.
                    market.kill();
                    Thread.sleep(random.nextLong(300, 1_500));
                    agent.kill();
                    market = MarketProcess.start(work.resolve("market-again.log"), marketSettings,
                            Duration.ofMinutes(3), port);
                } else {
                    agent.kill();
                }
                agent = AgentProcess.start(agentLog, settings, Map.of());
            }
            awaitNewUpload(agent, agentLog);
            agent.close();

            // 3. Settle: one more start that records once (sampling every hour) and drains its spool.
            Map<String, String> settle = new HashMap<>(settings);
            settle.put("xenomarket.agent.usage.sample-interval", "PT1H");
            agent = AgentProcess.start(agentLog, settle, Map.of());
            Path checkpoints = stateDir.resolve("usage").resolve("meters.properties");
            e2e.await(() -> {
                Instant recorded = lastRecorded(checkpoints, leaseId);
                Stored now = stored(leaseId);
                return recorded != null && recorded.equals(now.lastT1());
            }, settled -> settled, Duration.ofSeconds(60), agent);

            Stored all = consistentWithApi(api, sponsor, leaseId);
            assertEquals(0, all.gaps(), "no record lost: the lease's records meet end to end");
            assertEquals(lastRecorded(checkpoints, leaseId), all.lastT1(), "everything recorded reached the market");
            assertEquals(snapshot.firstT0(), all.firstT0());
            assertArrayEquals(truth(startedAt, all.firstT0(), all.lastT1()), all.sums(),
                    "usage of [" + all.firstT0() + ", " + all.lastT1() + ") after kill -9 of agent and market");
            assertTrue(all.count() > snapshot.count());
            Path rejected = stateDir.resolve("usage").resolve("spool").resolve("rejected.spool");
            assertTrue(!Files.exists(rejected) || Files.size(rejected) <= 8, "the market rejected no record");
            System.out.printf("usage test: %d records over %s, %d agent kills, 1 market kill%n", all.count(),
                    Duration.between(all.firstT0(), all.lastT1()), kills);
            agent.close();
        } finally {
            if (agent != null) {
                agent.close();
            }
            market.close();
        }
    }

    /** Waits (bounded: 10 s) until the market's port answers HTTP at all; a refused first connection was seen once. */
    private static void awaitAnswering(String api) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await("the market's port to answer").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/servers"))
                        .timeout(Duration.ofSeconds(5)).build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding()) != null);
    }

    /** Waits (bounded) until the agent's log shows one more upload answered by the market than now. */
    private static void awaitNewUpload(AgentProcess agent, Path log) throws Exception {
        long before = uploads(log);
        try {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50))
                    .failFast("the agent exited", () -> !agent.isAlive())
                    .until(() -> uploads(log) > before);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("the agent uploaded nothing; its output:\n" + agent.output(), e);
        }
    }

    private static long uploads(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains("usage upload: ")).count() : 0;
    }

    private static void assertArrayEquals(long[] expected, long[] actual, String what) {
        String[] names = {"cpuNanos", "memoryMibSeconds", "netRxBytes", "netTxBytes", "diskReadBytes", "diskWriteBytes"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], names[i] + " of " + what);
        }
    }

    /**
     * What the guest (2 vCPUs, quota 100%, 2048 MiB, no caps, load {@code typical}: CPU 0.5, 1 MB/s
     * each way on the network, 200 kB/s disk reads, 100 kB/s writes) used over [t0, t1).
     */
    private static long[] truth(Instant startedAt, Instant t0, Instant t1) {
        long[] a = counters(Duration.between(startedAt, t0).toNanos());
        long[] b = counters(Duration.between(startedAt, t1).toNanos());
        long memory = 2048L * Duration.between(t0, t1).toMillis() / 1000;
        return new long[] {b[0] - a[0], memory, b[1] - a[1], b[2] - a[2], b[3] - a[3], b[4] - a[4]};
    }

    private static long[] counters(long runningNs) {
        double cpuShare = 2 * (100 / 100.0) * 0.5;
        return new long[] {Math.round(runningNs * cpuShare), bytes(1_000_000, runningNs), bytes(1_000_000, runningNs),
                bytes(200_000, runningNs), bytes(100_000, runningNs)};
    }

    private static long bytes(long perSecond, long ns) {
        return BigInteger.valueOf(perSecond).multiply(BigInteger.valueOf(ns)).divide(BigInteger.valueOf(1_000_000_000L))
                .longValueExact();
    }

    /** A snapshot of the lease's stored records that the usage API agrees with (read between two equal snapshots). */
    private Stored consistentWithApi(String api, String sponsor, String leaseId) throws Exception {
        AtomicReference<JsonNode> read = new AtomicReference<>();
        Stored after = await("the lease's usage to stand still while it is read").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    Stored before = stored(leaseId);
                    read.set(e2e.call("GET", api + "/usage/leases/" + leaseId, sponsor, null, 200));
                    Stored now = stored(leaseId);
                    return before.count() == now.count() ? now : null;
                }, java.util.Objects::nonNull);
        JsonNode hours = read.get();
        long[] sums = new long[6];
        long records = 0;
        for (JsonNode hour : hours) {
            sums[0] += hour.get("cpuNanos").asLong();
            sums[1] += hour.get("memoryMibSeconds").asLong();
            sums[2] += hour.get("netRxBytes").asLong();
            sums[3] += hour.get("netTxBytes").asLong();
            sums[4] += hour.get("diskReadBytes").asLong();
            sums[5] += hour.get("diskWriteBytes").asLong();
            records += hour.get("records").asLong();
        }
        assertTrue(records >= after.count(), "hourly records count " + records + " vs " + after.count());
        assertArrayEquals(after.sums(), sums, "the hourly usage API against the stored records");
        return after;
    }

    private static Stored stored(String leaseId) throws Exception {
        try (Connection db = E2e.connect(); PreparedStatement query = db.prepareStatement("""
                SELECT t0, t1, cpu_nanos, memory_mib_seconds, net_rx_bytes, net_tx_bytes, disk_read_bytes,
                       disk_write_bytes, sequence
                FROM usage_record WHERE lease_id = ? ORDER BY t0""")) {
            query.setObject(1, UUID.fromString(leaseId));
            try (ResultSet rows = query.executeQuery()) {
                long[] sums = new long[6];
                int count = 0;
                int gaps = 0;
                long maxSequence = 0;
                Instant first = null;
                Instant last = null;
                while (rows.next()) {
                    Instant t0 = rows.getTimestamp(1).toInstant();
                    Instant t1 = rows.getTimestamp(2).toInstant();
                    if (last != null && !t0.equals(last)) {
                        gaps++;
                    }
                    if (first == null) {
                        first = t0;
                    }
                    last = t1;
                    for (int i = 0; i < 6; i++) {
                        sums[i] += rows.getLong(3 + i);
                    }
                    maxSequence = Math.max(maxSequence, rows.getLong(9));
                    count++;
                }
                return new Stored(count, first, last, sums, gaps, maxSequence);
            }
        }
    }

    private static Instant guestStartedAt(Path vmmDir, String leaseId) throws IOException {
        Properties host = new Properties();
        host.load(new StringReader(Files.readString(vmmDir.resolve("simulated-host.properties"))));
        int guests = Integer.parseInt(host.getProperty("guests", "0"));
        for (int i = 0; i < guests; i++) {
            if (leaseId.equals(host.getProperty("guest." + i + ".lease"))) {
                return Instant.parse(host.getProperty("guest." + i + ".started-at"));
            }
        }
        throw new AssertionError("no guest of lease " + leaseId + " on the simulated host");
    }

    /** The agent's last recorded instant for the lease (its meter checkpoint), or null. */
    private static Instant lastRecorded(Path checkpoints, String leaseId) throws IOException {
        if (!Files.exists(checkpoints)) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(checkpoints)));
        if (p.getProperty("prepared.lease") != null) {
            return null;
        }
        String at = p.getProperty("lease." + leaseId + ".at");
        return at == null ? null : Instant.ofEpochMilli(Long.parseLong(at));
    }

    /** The simulated agent's settings, sampling and uploading usage every few tenths of a second. */
    private static Map<String, String> agentSettings(String marketUrl, String serverId, Path stateDir, Path vmmDir,
                                                     Path work) throws Exception {
        Map<String, String> settings = AgentProcess.simulatedSettings(marketUrl, serverId, stateDir, vmmDir, work);
        settings.put("xenomarket.agent.usage.sample-interval", "PT0.3S");
        settings.put("xenomarket.agent.usage.idle-poll", "PT0.2S");
        settings.put("xenomarket.agent.usage.batch-size", "3");
        return settings;
    }
}
