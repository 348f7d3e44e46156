package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 17, item 7: a day of the market compressed into minutes. Several market replicas (the
 * packaged market, as processes) on one fresh database share the regions; thousands of simulated
 * node agents ({@link SimulatedAgent}, in this JVM) heartbeat, fetch their leases and send signed
 * usage batches through a NATS JetStream of the simulation's own ({@link NatsServerProcess}) or by
 * HTTP; sponsors place best-effort bids hour by hour along a daily curve, into every region, through
 * every replica. Optional faults: one replica killed (SIGKILL) at a given hour, NATS restarted at
 * another. At the end it reports round latency per region (from the replicas' logs), the booking
 * rate, ingestion lag (from the database), and the region handover time after the kill; its
 * checks by SQL are in {@link Outcome}. The CI-sized configuration runs as MarketSimulationTest;
 * the large one by hand through {@link #main} (docs/benchmarks.md has the command).
 */
final class MarketSimulation {

    /** The size of the simulation and its faults (an hour index of -1: no such fault). */
    record Scale(int replicas, int agents, int regions, int hours, Duration hour, int bidsPerHour,
                 int vcpusPerServer, Duration roundInterval, int killReplicaAtHour, int restartNatsAtHour) {

        /**
         * Small enough for a test: a day of about 30 s nominal; the whole test took about 3 minutes on
         * the shared 2-core machine at load 30, most of it the three market starts.
         */
        static Scale ci() {
            return new Scale(3, 60, 6, 8, Duration.ofSeconds(4), 45, 8, Duration.ofSeconds(8), 3, 5);
        }

        /** The size: 3 replicas, 2,000 agents, 20 regions, 24 hours of about 10 s each. */
        static Scale full() {
            return new Scale(3, 2_000, 20, 24, Duration.ofSeconds(10), 1_500, 16, Duration.ofSeconds(16), 12, 18);
        }
    }

    /** What the simulation measured and what the database holds at its end. */
    record Outcome(Scale scale, long bidsPlaced, long bidsRefusedAtPlacement, long leases, long bidsBookedTwice,
                   long slotsOverCapacity, long slotsNotMatchingLeases, long recordsDelivered, long recordsStored,
                   long cpuDelivered, long cpuStored, long cpuInHourlyRollup, long recordsInHourlyRollup,
                   long recordHourPieces,
                   long agentTicks, long agentTicksFailed, double dayWallSeconds, Map<String, List<Long>> roundMillis,
                   double lagP50Ms, double lagP99Ms, double lagMaxMs, long handoverMillis, List<Integer> regionsHeld,
                   long natsSendsFailed, long natsRedelivered, String databaseName) {

        String report() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("simulation: %d replicas, %d agents, %d regions, %d hours of %d s (%.1f s of wall"
                            + " time for the day)%n", scale.replicas(), scale.agents(), scale.regions(), scale.hours(),
                    scale.hour().toSeconds(), dayWallSeconds));
            text.append(String.format("regions held per replica at the start: %s%n", regionsHeld));
            text.append(String.format("bids placed %d (%d refused at placement), leases %d = %.1f%% booked,"
                            + " booking rate %.1f leases/s over the day%n", bidsPlaced, bidsRefusedAtPlacement, leases,
                    100.0 * leases / Math.max(1, bidsPlaced), leases / dayWallSeconds));
            text.append(String.format("agent ticks %d (%d failed and retried), %.0f ticks/s%n", agentTicks,
                    agentTicksFailed, agentTicks / dayWallSeconds));
            text.append(String.format("usage: %d records delivered, %d stored, %d in hourly rollups (%d record-hours);"
                    + " ingestion lag (record end to commit) p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", recordsDelivered,
                    recordsStored, recordsInHourlyRollup, recordHourPieces, lagP50Ms, lagP99Ms, lagMaxMs));
            text.append(String.format("NATS: %d agent sends failed and retried, %d messages redelivered to the market's"
                    + " consumer%n", natsSendsFailed, natsRedelivered));
            text.append(String.format("overbooked slots %d, slots not equal to their leases %d, bids booked twice %d%n",
                    slotsOverCapacity, slotsNotMatchingLeases, bidsBookedTwice));
            if (handoverMillis >= 0) {
                text.append(String.format("regions of the killed replica held by the others after %d ms (round"
                        + " interval %d ms)%n", handoverMillis, scale.roundInterval().toMillis()));
            }
            text.append("round latency per region (rounds, p50 ms, max ms):");
            roundMillis.forEach((region, millis) -> {
                List<Long> sorted = new ArrayList<>(millis);
                Collections.sort(sorted);
                text.append(String.format(" %s %d/%d/%d;", region, sorted.size(),
                        sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
            });
            return text.append('\n').toString();
        }
    }

    private static final Pattern ROUND = Pattern.compile("Clearing round of (\\S+): .* round (\\d+) ms");
    private static final String STREAM = "XM_USAGE_SIM";
    private static final String SUBJECTS = "xm.usage-sim";
    private static final int NATS_CONNECTIONS = 4;

    private final Scale scale;
    private final String database;
    private final Random random = new Random(17);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final E2e e2e = new E2e();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong ticksFailed = new AtomicLong();
    private final AtomicLong bidsPlaced = new AtomicLong();
    private final AtomicLong bidsRefused = new AtomicLong();
    private final List<MarketProcess> markets = new ArrayList<>();
    private NatsConnections natsConnections;
    private volatile MarketProcess killed;
    private final long created = System.nanoTime();

    /** Says on stdout how far the simulation is, and since when: where a slow run spends its time. */
    private void phase(String done) {
        System.out.printf("simulation: %s after %.1f s%n", done, (System.nanoTime() - created) / 1e9);
    }

    MarketSimulation(Scale scale, String database) {
        this.scale = scale;
        this.database = database;
    }

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.full();
        if (args.length >= 3) {
            // agents, regions, hours [, seconds per hour [, bids per hour]]: the faults at half and three quarters of the day
            int hours = Integer.parseInt(args[2]);
            scale = new Scale(3, Integer.parseInt(args[0]), Integer.parseInt(args[1]), hours,
                    Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 10),
                    args.length > 4 ? Integer.parseInt(args[4]) : 1_500, 16, Duration.ofSeconds(16), hours / 2,
                    hours * 3 / 4);
        }
        System.out.print(new MarketSimulation(scale, E2e.DATABASE + "_simfull").run().report());
    }

    Outcome run() throws Exception {
        recreateDatabase();
        Path work = Files.createTempDirectory("xenomarket-simulation");
        try (NatsServerProcess nats = NatsServerProcess.start()) {
            try {
                startMarkets(work, nats.url());
                phase(markets.size() + " markets started");
                return day(nats);
            } finally {
                if (natsConnections != null) {
                    natsConnections.close();
                }
                for (MarketProcess market : markets) {
                    market.close();
                }
            }
        }
    }

    private Outcome day(NatsServerProcess nats) throws Exception {
        List<String> regions = regions();
        String provider = "Bearer " + account("PROVIDER", "provider");
        List<String> sponsors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sponsors.add("Bearer " + account("SPONSOR", "sponsor"));
        }
        List<SimulatedAgent> agents = listAndRegister(regions, provider);
        phase(agents.size() + " agents registered");
        List<Integer> held = awaitRegionsSpread();
        phase("regions spread " + held);
        natsConnections = new NatsConnections(nats.url(), NATS_CONNECTIONS);

        ScheduledExecutorService clock = Executors.newScheduledThreadPool(16);
        long handover = -1;
        long began = System.nanoTime();
        try {
            for (int hour = 0; hour < scale.hours(); hour++) {
                long hourStart = System.nanoTime();
                List<Future<?>> work = new ArrayList<>();
                scheduleAgents(clock, agents, work);
                scheduleBids(clock, regions, sponsors, hour, work);
                if (hour == scale.restartNatsAtHour()) {
                    // mid-hour, while agents publish
                    work.add(clock.schedule(() -> {
                        restartNatsUnderPublishers(nats, agents);
                        return null;
                    }, scale.hour().toMillis() / 3, TimeUnit.MILLISECONDS));
                }
                if (hour == scale.killReplicaAtHour() && markets.size() > 1) {
                    handover = killOneReplicaAndTimeHandover();
                }
                for (Future<?> done : work) {
                    done.get(10, TimeUnit.MINUTES);
                }
                long left = scale.hour().toNanos() - (System.nanoTime() - hourStart);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
            }
        } finally {
            clock.shutdownNow();
        }
        double daySeconds = (System.nanoTime() - began) / 1e9;
        phase("day over");
        drain(agents);
        phase("agents drained");
        // the last bids get one more round, and everything published is consumed
        Thread.sleep(scale.roundInterval().toMillis() * 2);
        long delivered = agents.stream().mapToLong(SimulatedAgent::deliveredRecords).sum();
        List<String> nodes = agents.stream().map(SimulatedAgent::nodeId).toList();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT count(*) FROM usage_record") >= delivered);
        return outcome(agents, nodes, daySeconds, handover, held);
    }

    private void recreateDatabase() throws Exception {
        try (java.sql.Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); var statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private void startMarkets(Path work, String natsUrl) throws Exception {
        List<String> settings = List.of("-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + database,
                "-Dxenomarket.usage.nats.url=" + natsUrl, "-Dxenomarket.usage.nats.stream=" + STREAM,
                "-Dxenomarket.usage.nats.subject-prefix=" + SUBJECTS,
                "-Dxenomarket.clearing.round-interval=PT" + scale.roundInterval().toSeconds() + "S",
                // a dead replica's regions move within one round interval: its leases lapse after 3/8 of
                // it, and the others look every eighth (whole seconds: the scheduler's granularity), which
                // leaves half of it for a loaded machine's delays; a shorter lease made replicas whose
                // heartbeat came late on this loaded machine look dead, and regions flap between them
                "-Dxenomarket.clearing.ownership-interval=PT" + Math.max(1, scale.roundInterval().toSeconds() / 8) + "S",
                "-Dxenomarket.clearing.region-lease=PT" + Math.max(3, scale.roundInterval().toSeconds() * 3 / 8) + "S",
                "-Dxenomarket.node.heartbeat-timeout=PT1H", "-Xmx384m", "-XX:TieredStopAtLevel=1",
                // the PostgreSQL is shared (100 connections in all): three replicas at the default 20 each
                // took two thirds of it and starved other clients
                "-Dquarkus.datasource.reactive.max-size=6");
        // the first one migrates the new database; the others start beside each other
        markets.add(MarketProcess.start(work.resolve("market-0.log"), settings, Duration.ofMinutes(4)));
        ExecutorService starting = Executors.newFixedThreadPool(scale.replicas());
        try {
            List<Future<MarketProcess>> started = new ArrayList<>();
            for (int i = 1; i < scale.replicas(); i++) {
                Path log = work.resolve("market-" + i + ".log");
                started.add(starting.submit(() -> MarketProcess.start(log, settings, Duration.ofMinutes(4))));
            }
            for (Future<MarketProcess> market : started) {
                markets.add(market.get());
            }
        } finally {
            starting.shutdownNow();
        }
    }

    /** The regions, straight in the database as an operator adds them (there is no API for regions). */
    private List<String> regions() throws Exception {
        List<String> codes = new ArrayList<>();
        try (java.sql.Connection db = connect(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO region (code, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (int i = 0; i < scale.regions(); i++) {
                String code = String.format("sim-%02d", i);
                insert.setString(1, code);
                insert.setString(2, "Simulated region " + i);
                insert.executeUpdate();
                codes.add(code);
            }
        }
        return codes;
    }

    /** A site per region, the servers spread over them, and a registered, heartbeating agent for each. */
    private List<SimulatedAgent> listAndRegister(List<String> regions, String provider) throws Exception {
        List<String> sites = new ArrayList<>();
        for (int r = 0; r < regions.size(); r++) {
            String site = regions.get(r) + "-site";
            e2e.call("POST", api(r) + "/sites", provider, """
                    {"code": "%s", "region": "%s", "city": "Sim %d", "country": "GB",
                     "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}"""
                    .formatted(site, regions.get(r), r, -50 + 5.0 * r, -170 + 17.0 * r), 201);
            sites.add(site);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<SimulatedAgent>> registered = new ArrayList<>();
            for (int i = 0; i < scale.agents(); i++) {
                int index = i;
                registered.add(pool.submit(() -> {
                    String site = sites.get(index % sites.size());
                    String api = api(index);
                    String serverId = SimulatedAgent.whileBusy(() -> e2e.call("POST", api + "/servers", provider, """
                            {"name": "%s-%d", "site": "%s", "hypervisor": "SIMULATED",
                             "capacity": {"vcpus": %d, "memoryMib": %d, "diskGib": 1000, "egressMbps": 1000}}"""
                            .formatted(site, index, site, scale.vcpusPerServer(), 1024L * scale.vcpusPerServer()), 201)
                            .get("id").asText());
                    SimulatedAgent agent = new SimulatedAgent(serverId, scale.vcpusPerServer(),
                            index % 2 == 0 ? SimulatedAgent.Transport.NATS : SimulatedAgent.Transport.HTTP);
                    agent.register(e2e, api, provider, 1024L * scale.vcpusPerServer(), 1000);
                    return agent;
                }));
            }
            List<SimulatedAgent> agents = new ArrayList<>();
            for (Future<SimulatedAgent> agent : registered) {
                agents.add(agent.get(10, TimeUnit.MINUTES));
            }
            return agents;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits until every region (the simulation's and the three the migrations add) is held by a live
     * replica, evenly; answers how many each replica holds.
     */
    private List<Integer> awaitRegionsSpread() throws Exception {
        int regions = (int) count("SELECT count(*) FROM region");
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<Integer> held = new ArrayList<>();
            for (MarketProcess market : markets) {
                held.add((int) count("""
                        SELECT count(*) FROM region_lease l JOIN market_replica r ON r.id = l.owner
                        WHERE r.pid = ? AND l.expires_at > now()""", market.pid()));
            }
            return held;
        }, held -> held.stream().mapToInt(Integer::intValue).sum() == regions
                && held.stream().allMatch(n -> n >= regions / markets.size() && n <= (regions + markets.size() - 1) / markets.size()));
    }

    /** Every agent ticks once this hour, at a random moment of it, against a live replica. */
    private void scheduleAgents(ScheduledExecutorService clock, List<SimulatedAgent> agents, List<Future<?>> work) {
        for (int i = 0; i < agents.size(); i++) {
            SimulatedAgent agent = agents.get(i);
            int index = i;
            long at = (long) (random.nextDouble() * scale.hour().toMillis() * 0.9);
            work.add(clock.schedule(() -> {
                ticks.incrementAndGet();
                if (!agent.tick(http, api(index), natsConnections.slot(index), SUBJECTS)) {
                    ticksFailed.incrementAndGet();
                }
            }, at, TimeUnit.MILLISECONDS));
        }
    }

    /** The hour's bids, following a daily curve (a trough at night, a peak in the afternoon), into every region. */
    private void scheduleBids(ScheduledExecutorService clock, List<String> regions, List<String> sponsors, int hour,
                              List<Future<?>> work) {
        double daily = 0.6 + 0.4 * Math.sin(Math.PI * (hour * 24.0 / scale.hours() - 8) / 12);
        int count = (int) Math.round(scale.bidsPerHour() * daily);
        for (int i = 0; i < count; i++) {
            String region = regions.get(random.nextInt(regions.size()));
            String sponsor = sponsors.get(random.nextInt(sponsors.size()));
            int vcpus = 1 + random.nextInt(4);
            int hours = 1 + random.nextInt(4);
            int replica = random.nextInt(1_000);
            long at = (long) (random.nextDouble() * scale.hour().toMillis() * 0.9);
            work.add(clock.schedule(() -> {
                try {
                    e2e.call("POST", api(replica) + "/bids", sponsor, """
                            {"resources": {"vcpus": %d, "memoryMib": %d, "diskGib": 5},
                             "placement": {"regions": ["%s"]}, "serviceClass": "BEST_EFFORT",
                             "durationHours": %d, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                            .formatted(vcpus, 1024 * vcpus, region, hours), 201);
                    bidsPlaced.incrementAndGet();
                } catch (IOException | AssertionError refused) {
                    // a replica being killed: the sponsor's bid did not go in (counted, not retried)
                    bidsRefused.incrementAndGet();
                }
                return null;
            }, at, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Stops NATS while agents publish, and has a few agents that publish through it tick while it is
     * down (so that some publishes certainly meet it away, whatever the timing of the others), then
     * starts it again on the same store: their records stay pending and go with a later tick.
     */
    private void restartNatsUnderPublishers(NatsServerProcess nats, List<SimulatedAgent> agents) throws Exception {
        nats.stop();
        for (int i = 0, ticked = 0; i < agents.size() && ticked < 3; i++) {
            SimulatedAgent agent = agents.get(i);
            if (agent.transport == SimulatedAgent.Transport.NATS && agent.hasLeases()) {
                int index = i;
                agent.tick(http, api(i), natsConnections.slot(index), SUBJECTS);
                ticked++;
            }
        }
        nats.launch();
    }

    /** SIGKILLs the last replica and waits until the others hold all its regions; answers how long that took. */
    private long killOneReplicaAndTimeHandover() throws Exception {
        MarketProcess victim = markets.get(markets.size() - 1);
        long pid = victim.pid();
        killed = victim;
        long at = System.nanoTime();
        victim.kill();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> count("""
                SELECT count(*) FROM region_lease l LEFT JOIN market_replica r ON r.id = l.owner
                WHERE r.pid IS NULL OR r.pid = ? OR l.expires_at <= now()""", pid) == 0);
        return (System.nanoTime() - at) / 1_000_000;
    }

    private void drain(List<SimulatedAgent> agents) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .conditionEvaluationListener(state -> {
                    if (state.getRemainingTimeInMS() <= state.getPollInterval().toMillis()) {
                        agents.stream().filter(a -> a.pendingRecords() > 0).limit(5).forEach(a -> System.out.printf(
                                "agent %s (%s) still holds %d records: %s%n", a.nodeId(), a.transport,
                                a.pendingRecords(), a.lastFailure()));
                    }
                })
                .until(() -> {
            boolean empty = true;
            for (int i = 0; i < agents.size(); i++) {
                int index = i;
                empty &= agents.get(i).drain(http, api(i), natsConnections.slot(index), SUBJECTS);
            }
            return empty;
        });
    }

    private Outcome outcome(List<SimulatedAgent> agents, List<String> nodes, double daySeconds, long handover,
                            List<Integer> held) throws Exception {
        long leases = count("SELECT count(*) FROM lease");
        long twice = count("SELECT count(*) FROM (SELECT bid_id FROM lease GROUP BY bid_id HAVING count(*) > 1) t");
        long over = count("""
                SELECT count(*) FROM capacity_slot
                WHERE reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib
                   OR reserved_disk_gib > capacity_disk_gib""");
        long mismatched = count("""
                WITH held AS (
                    SELECT l.server_id, b AS bucket_start, sum(l.vcpus) AS vcpus, sum(l.memory_mib) AS memory_mib
                    FROM lease l CROSS JOIN LATERAL generate_series(date_trunc('hour', l.start_at),
                         l.end_at - interval '1 microsecond', interval '1 hour') AS b
                    WHERE l.state NOT IN ('ENDED', 'FAILED', 'PREEMPTED')
                    GROUP BY 1, 2)
                SELECT count(*) FROM held h FULL JOIN (SELECT * FROM capacity_slot WHERE reserved_vcpus > 0) c
                    ON c.server_id = h.server_id AND c.bucket_start = h.bucket_start
                WHERE h.vcpus IS DISTINCT FROM c.reserved_vcpus OR h.memory_mib IS DISTINCT FROM c.reserved_memory_mib""");
        long stored = count("SELECT count(*) FROM usage_record");
        long cpuStored = count("SELECT coalesce(sum(cpu_nanos), 0) FROM usage_record");
        long cpuRollup = count("SELECT coalesce(sum(cpu_nanos), 0) FROM usage_hourly");
        long recordsRollup = count("SELECT coalesce(sum(records), 0) FROM usage_hourly");
        // a record over an hour boundary is split, and counted in each hour it covers
        long pieces = count("""
                SELECT coalesce(sum(extract(epoch FROM date_trunc('hour', t1 - interval '1 microsecond')
                                                     - date_trunc('hour', t0)) / 3600 + 1), 0)
                FROM usage_record""");
        double[] lag = lag();
        long natsFailed = agents.stream().filter(a -> a.transport == SimulatedAgent.Transport.NATS)
                .mapToLong(SimulatedAgent::failedSends).sum();
        long redelivered = natsConnections.slot(0).get().jetStreamManagement()
                .getConsumerInfo(STREAM, "market-usage").getRedelivered();
        return new Outcome(scale, bidsPlaced.get(), bidsRefused.get(), leases, twice, over, mismatched,
                agents.stream().mapToLong(SimulatedAgent::deliveredRecords).sum(), stored,
                agents.stream().mapToLong(SimulatedAgent::deliveredCpuNanos).sum(), cpuStored, cpuRollup, recordsRollup, pieces,
                ticks.get(), ticksFailed.get(), daySeconds, roundMillis(), lag[0], lag[1], lag[2], handover, held,
                natsFailed, redelivered, database);
    }

    /** Record end (the agent's clock, which is this machine's) to its commit (the database's), in ms. */
    private double[] lag() throws Exception {
        try (java.sql.Connection db = connect(); PreparedStatement query = db.prepareStatement("""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                       max(ms)
                FROM (SELECT extract(epoch FROM received_at - t1) * 1000 AS ms FROM usage_record) r""");
             ResultSet row = query.executeQuery()) {
            row.next();
            return new double[] {row.getDouble(1), row.getDouble(2), row.getDouble(3)};
        }
    }

    /** Every round's latency, by region, from every replica's log. */
    private Map<String, List<Long>> roundMillis() throws IOException {
        Map<String, List<Long>> byRegion = new TreeMap<>();
        for (MarketProcess market : markets) {
            Matcher round = ROUND.matcher(market.output());
            while (round.find()) {
                if (round.group(1).startsWith("sim-")) {
                    byRegion.computeIfAbsent(round.group(1), r -> new ArrayList<>()).add(Long.parseLong(round.group(2)));
                }
            }
        }
        return byRegion;
    }

    /** A live replica's API for the caller numbered {@code index}: callers are spread over the replicas. */
    private String api(int index) {
        List<MarketProcess> live = markets.stream().filter(m -> m != killed).toList();
        return live.get(Math.floorMod(index, live.size())).baseUrl() + "/api/v1";
    }

    private String account(String kind, String role) throws Exception {
        try (java.sql.Connection db = connect()) {
            return E2e.account(db, kind, role);
        }
    }

    java.sql.Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
    }

    long count(String sql, Object... parameters) throws Exception {
        try (java.sql.Connection db = connect(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
