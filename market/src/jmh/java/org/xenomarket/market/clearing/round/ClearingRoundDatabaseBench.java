package org.xenomarket.market.clearing.round;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xenomarket.market.security.TokenSecret;

/**
 * One clearing round end to end, database writes included, against a running market: fills the
 * market's database (JDBC) with {@code servers} ACTIVE servers at 60 sites around Cambridge, Amsterdam
 * and Frankfurt (eu-west) and {@code bids} OPEN bids near them, then asks the market for a round of
 * eu-west ({@code POST /api/v1/clearing/rounds/eu-west}) and reports the round's own figures (matching
 * alone, and the whole round: loading, matching, booking each lease in its own transaction, reasons on
 * the bids left open) beside the client's wall time, and checks by SQL that the leases exist and no
 * capacity slot is over capacity.
 *
 * <p>Arguments: JDBC URL of the market's (fresh) database, the market's base URL, servers, bids, and
 * optionally {@code warm}: first a world of the same size in us-east, cleared by the same market, so the
 * measured round runs on compiled code as every round after a replica's first does (without it the
 * measured round is the market's first, its code compiled by the JIT while it runs), then optionally
 * {@code repeat}: two more rounds of eu-west after the measured one, on the same bids and servers.
 */
public final class ClearingRoundDatabaseBench {

    private static final double[][] METROS = {{52.2053, 0.1218}, {52.3676, 4.9041}, {50.1109, 8.6821}};
    /* New York, Boston, Washington: the warm-up world, thousands of km from every eu-west site. */
    private static final double[][] WARM_UP_METROS = {{40.7128, -74.0060}, {42.3601, -71.0589}, {38.9072, -77.0369}};
    private static final int[] VCPUS = {4, 8, 16, 32, 64};

    private ClearingRoundDatabaseBench() {
    }

    public static void main(String[] args) throws Exception {
        String jdbc = args[0];
        String market = args[1];
        int serverCount = Integer.parseInt(args[2]);
        int bidCount = Integer.parseInt(args[3]);
        boolean warm = args.length > 4 && args[4].equals("warm");
        String token = "xm_bench_" + UUID.randomUUID();
        UUID provider = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            db.setAutoCommit(false);
            UUID operator = UUID.randomUUID();
            try (PreparedStatement account = db.prepareStatement("INSERT INTO account (id, name, kind) VALUES (?, ?, ?)");
                 PreparedStatement apiToken = db.prepareStatement(
                         "INSERT INTO api_token (id, account_id, role, token_hash, label) VALUES (?, ?, 'operator', ?, 'bench')")) {
                for (Object[] a : new Object[][] {{provider, "PROVIDER"}, {operator, "OPERATOR"}}) {
                    account.setObject(1, a[0]);
                    account.setString(2, "bench " + a[1] + " " + a[0]);
                    account.setString(3, (String) a[1]);
                    account.executeUpdate();
                }
                apiToken.setObject(1, UUID.randomUUID());
                apiToken.setObject(2, operator);
                apiToken.setBytes(3, TokenSecret.hash(token));
                apiToken.executeUpdate();
            }
            db.commit();
        }
        HttpClient http = HttpClient.newHttpClient();
        if (warm) {
            // A market clears round after round: its code is compiled by the JIT after the first few. The
            // warm-up is a world of the same size in us-east, cleared first in the same market; its bids
            // left open are then closed, so the measured round loads only its own.
            UUID warmSponsor = seed(jdbc, new SplittableRandom(0x5741_524d_5550_0001L), "us-east", WARM_UP_METROS, "US", "America/New_York", provider,
                    serverCount, bidCount);
            HttpResponse<String> answer = round(http, market, token, "us-east");
            System.out.printf("Warm-up round of us-east: HTTP %d: %s%n", answer.statusCode(), answer.body());
            try (Connection db = DriverManager.getConnection(jdbc, "postgres", "");
                 Statement sql = db.createStatement()) {
                sql.executeUpdate("UPDATE bid SET state = 'EXPIRED', closed_at = now(), state_reason = 'bench warm-up'"
                        + " WHERE sponsor_id = '" + warmSponsor + "' AND state = 'OPEN'");
                sql.execute("VACUUM ANALYZE");
            }
        }
        UUID sponsor = seed(jdbc, new SplittableRandom(0x4442_4245_4e43_4801L), "eu-west", METROS, "GB", "Europe/London", provider, serverCount, bidCount);
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "");
             Statement sql = db.createStatement()) {
            sql.execute("ANALYZE"); // as autovacuum would have by the time a real market's round comes
        }
        System.out.printf("Seeded %d servers and %d open bids in eu-west; asking %s for a %s round%n", serverCount,
                bidCount, market, warm ? "warm" : "cold (the market's first)");
        long[] statsBefore = databaseStats(jdbc);
        long began = System.nanoTime();
        HttpResponse<String> answer = round(http, market, token, "eu-west");
        long wallMillis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("HTTP %d in %d ms (client wall time): %s%n", answer.statusCode(), wallMillis, answer.body());
        Thread.sleep(2_000); // PostgreSQL 15 flushes a backend's counters at most once a second
        long[] statsAfter = databaseStats(jdbc);
        System.out.printf("During the round, the database: %d commits, %d rollbacks, %d rows inserted, %d updated, "
                        + "%d fetched%n", statsAfter[0] - statsBefore[0], statsAfter[1] - statsBefore[1],
                statsAfter[2] - statsBefore[2], statsAfter[3] - statsBefore[3], statsAfter[4] - statsBefore[4]);
        System.out.printf("Bid rows updated during the round: %d, of which in place on their page (HOT, no index entry): %d%n",
                statsAfter[5] - statsBefore[5], statsAfter[6] - statsBefore[6]);
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "");
             Statement sql = db.createStatement()) {
            try (ResultSet leases = sql.executeQuery("SELECT count(*) FROM lease WHERE sponsor_id = '" + sponsor + "'")) {
                leases.next();
                System.out.printf("Leases of the bench sponsor in the database: %d%n", leases.getLong(1));
            }
            try (ResultSet over = sql.executeQuery("SELECT count(*) FROM capacity_slot WHERE reserved_vcpus > capacity_vcpus"
                    + " OR reserved_memory_mib > capacity_memory_mib OR reserved_disk_gib > capacity_disk_gib")) {
                over.next();
                System.out.printf("Capacity slots over capacity: %d%n", over.getLong(1));
            }
            copyReference(db, sponsor);
        }
        // The rounds after it, on the same bids and servers: what a market's next rounds cost when the
        // first has filled the servers, and then when little changes (bids left open mostly stay open for
        // the same reason).
        for (int repeat = 1; args.length > 5 && args[5].equals("repeat") && repeat <= 2; repeat++) {
            long[] before = databaseStats(jdbc);
            long repeatBegan = System.nanoTime();
            HttpResponse<String> again = round(http, market, token, "eu-west");
            System.out.printf("Repeat round %d: HTTP %d in %d ms (client wall time): %s%n", repeat, again.statusCode(),
                    (System.nanoTime() - repeatBegan) / 1_000_000, again.body());
            Thread.sleep(2_000);
            long[] after = databaseStats(jdbc);
            System.out.printf("Repeat round %d: bid rows updated %d, rows inserted %d%n", repeat, after[5] - before[5],
                    after[2] - before[2]);
        }
    }

    private static HttpResponse<String> round(HttpClient http, String market, String token, String region)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(market + "/api/v1/clearing/rounds/" + region))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * One world: a sponsor, 60 sites around the metros, the servers and the open bids; returns the sponsor.
     * Each world draws from its own seeded random, so eu-west's is the same with or without a warm-up.
     */
    private static UUID seed(String jdbc, SplittableRandom random, String region, double[][] metros, String country,
                             String zone, UUID provider, int serverCount, int bidCount) throws Exception {
        UUID sponsor = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            db.setAutoCommit(false);
            try (PreparedStatement account = db.prepareStatement("INSERT INTO account (id, name, kind) VALUES (?, ?, 'SPONSOR')")) {
                account.setObject(1, sponsor);
                account.setString(2, "bench SPONSOR " + sponsor);
                account.executeUpdate();
            }
            UUID[] sites = new UUID[60];
            try (PreparedStatement site = db.prepareStatement("INSERT INTO site (id, code, region_code, city, country,"
                    + " latitude, longitude, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < sites.length; i++) {
                    double[] at = near(random, metros[i % metros.length], i < metros.length ? 0 : 300);
                    sites[i] = UUID.randomUUID();
                    site.setObject(1, sites[i]);
                    site.setString(2, "bench-" + sites[i].toString().substring(0, 8));
                    site.setString(3, region);
                    site.setString(4, "Bench " + i);
                    site.setString(5, country);
                    site.setDouble(6, at[0]);
                    site.setDouble(7, at[1]);
                    site.setString(8, zone);
                    site.addBatch();
                }
                site.executeBatch();
            }
            try (PreparedStatement server = db.prepareStatement("INSERT INTO server (id, provider_id, site_id, name,"
                    + " vcpus, memory_mib, disk_gib, egress_mbps, hypervisor, state, currency, last_heartbeat_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 1000, 'KVM', 'ACTIVE', 'EUR', now())")) {
                for (int i = 0; i < serverCount; i++) {
                    int vcpus = VCPUS[random.nextInt(VCPUS.length)];
                    server.setObject(1, UUID.randomUUID());
                    server.setObject(2, provider);
                    server.setObject(3, sites[random.nextInt(sites.length)]);
                    server.setString(4, "bench-" + region + "-" + i);
                    server.setInt(5, vcpus);
                    server.setLong(6, vcpus * 4_096L);
                    server.setLong(7, vcpus * 60L);
                    server.addBatch();
                }
                server.executeBatch();
            }
            Instant start = Instant.now().plusSeconds(3_600);
            try (PreparedStatement bid = db.prepareStatement("INSERT INTO bid (id, sponsor_id, request_fingerprint,"
                    + " service_class, vcpus, memory_mib, disk_gib, near_latitude, near_longitude, within_km, start_at,"
                    + " duration_hours, currency, max_price_per_hour, state, state_reason, created_at, expires_at)"
                    // bids expire (V9): long after the round, so none is swept while it runs
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', ?, 'OPEN', 'bench', ?, now() + interval '2 days')")) {
                for (int i = 0; i < bidCount; i++) {
                    double[] at = near(random, metros[random.nextInt(metros.length)], 200);
                    int vcpus = 1 << random.nextInt(4);
                    bid.setObject(1, UUID.randomUUID());
                    bid.setObject(2, sponsor);
                    bid.setBytes(3, new byte[32]);
                    bid.setString(4, random.nextInt(3) == 0 ? "BEST_EFFORT" : "RESERVED");
                    bid.setInt(5, vcpus);
                    bid.setLong(6, 1_024L * vcpus * (1 + random.nextInt(4)));
                    bid.setLong(7, 10L * (1 + random.nextInt(10)));
                    bid.setDouble(8, at[0]);
                    bid.setDouble(9, at[1]);
                    bid.setDouble(10, 50 + random.nextInt(951));
                    bid.setTimestamp(11, Timestamp.from(start.plusSeconds(600L * random.nextInt(36))));
                    bid.setInt(12, 1 + random.nextInt(48));
                    // 0.02..0.60 EUR per vCPU-hour-ish: some bids above, some below the built-in prices
                    bid.setBigDecimal(13, java.math.BigDecimal.valueOf((2_000L + random.nextInt(58_000)) * vcpus, 6));
                    bid.setTimestamp(14, Timestamp.from(Instant.now().minusSeconds(random.nextInt(86_400))));
                    bid.addBatch();
                    if (i % 1_000 == 999) {
                        bid.executeBatch();
                    }
                }
                bid.executeBatch();
            }
            db.commit();
        }
        return sponsor;
    }

    /**
     * The reference for the booking phase, in the same run: the round's lease rows, the capacity slots
     * it wrote and its quote rows, exported and COPYed (binary) into empty copies of their tables (same
     * columns, CHECKs and indexes; no foreign keys or triggers), timed from the first COPY to the commit.
     */
    private static void copyReference(Connection db, UUID sponsor) throws Exception {
        boolean days = hasTable(db, "capacity_day");
        String[][] tables = days ? new String[][] {
                {"lease", "SELECT * FROM lease WHERE sponsor_id = '" + sponsor + "'"},
                {"capacity_slot", "SELECT * FROM capacity_slot WHERE server_id IN (" + MEASURED_SERVERS + ")"},
                {"quote", "SELECT * FROM quote WHERE sponsor_id = '" + sponsor + "'"},
                {"capacity_day", "SELECT * FROM capacity_day WHERE server_id IN (" + MEASURED_SERVERS + ")"}} : new String[][] {
                {"lease", "SELECT * FROM lease WHERE sponsor_id = '" + sponsor + "'"},
                {"capacity_slot", "SELECT * FROM capacity_slot"},
                {"quote", "SELECT * FROM quote WHERE sponsor_id = '" + sponsor + "'"}};
        org.postgresql.copy.CopyManager copy = db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
        byte[][] rows = new byte[tables.length][];
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS bench_copy CASCADE");
            sql.execute("CREATE SCHEMA bench_copy");
            for (int i = 0; i < tables.length; i++) {
                if (days && tables[i][0].equals("capacity_slot")) {
                    // since V92 a view of capacity_day: the reference stays the hour rows as the table V1 and V86 made
                    sql.execute(HOUR_SLOTS);
                } else {
                    sql.execute("CREATE TABLE bench_copy." + tables[i][0] + " (LIKE public." + tables[i][0] + " INCLUDING ALL)");
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                copy.copyOut("COPY (" + tables[i][1] + ") TO STDOUT (FORMAT binary)", out);
                rows[i] = out.toByteArray();
            }
        }
        db.setAutoCommit(false);
        long[] millis = new long[tables.length];
        long[] counts = new long[tables.length];
        long began = System.nanoTime();
        for (int i = 0; i < tables.length; i++) {
            long t = System.nanoTime();
            counts[i] = copy.copyIn("COPY bench_copy." + tables[i][0] + " FROM STDIN (FORMAT binary)",
                    new java.io.ByteArrayInputStream(rows[i]));
            millis[i] = (System.nanoTime() - t) / 1_000_000;
        }
        db.commit();
        long total = (System.nanoTime() - began) / 1_000_000;
        for (int i = 0; i < tables.length; i++) {
            System.out.printf("COPY reference: %d %s rows in %d ms%n", counts[i], tables[i][0], millis[i]);
        }
        System.out.printf("COPY reference: lease + capacity_slot %d ms, with quote %d ms (commit included: %d ms)%n",
                millis[0] + millis[1], millis[0] + millis[1] + millis[2], total);
        if (days) {
            System.out.printf("COPY reference: lease + capacity_day %d ms%n", millis[0] + millis[3]);
        }
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA bench_copy CASCADE");
        }
        db.commit();
    }

    /* The measured world's servers: a warm-up world's capacity rows are not the round's. */
    private static final String MEASURED_SERVERS =
            "SELECT s.id FROM server s JOIN site t ON t.id = s.site_id WHERE t.region_code = 'eu-west'";

    /* capacity_slot as a table, as V1 made it and V86 filled it: the hour rows of the COPY reference. */
    private static final String HOUR_SLOTS = """
            CREATE TABLE bench_copy.capacity_slot (
                server_id           uuid NOT NULL,
                bucket_start        timestamptz NOT NULL CHECK (date_trunc('hour', bucket_start) = bucket_start),
                capacity_vcpus      integer NOT NULL,
                capacity_memory_mib bigint NOT NULL,
                capacity_disk_gib   bigint NOT NULL,
                reserved_vcpus      integer NOT NULL CHECK (reserved_vcpus BETWEEN 0 AND capacity_vcpus),
                reserved_memory_mib bigint NOT NULL CHECK (reserved_memory_mib BETWEEN 0 AND capacity_memory_mib),
                reserved_disk_gib   bigint NOT NULL CHECK (reserved_disk_gib BETWEEN 0 AND capacity_disk_gib),
                PRIMARY KEY (server_id, bucket_start)
            ) WITH (fillfactor = 70)""";

    private static boolean hasTable(Connection db, String table) throws Exception {
        try (Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /**
     * The database's own counters (pg_stat_database): commits, rollbacks, rows inserted, updated, fetched;
     * then the bid table's updates and how many of them were HOT (pg_stat_user_tables).
     */
    private static long[] databaseStats(String jdbc) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "");
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_fetched,"
                     + " (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'bid'),"
                     + " (SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'bid')"
                     + " FROM pg_stat_database WHERE datname = current_database()")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
                    row.getLong(6), row.getLong(7)};
        }
    }

    private static double[] near(SplittableRandom random, double[] metro, double km) {
        double dLat = km == 0 ? 0 : random.nextDouble(-km, km) / 111.2;
        double dLon = km == 0 ? 0 : random.nextDouble(-km, km) / (111.2 * Math.cos(Math.toRadians(metro[0])));
        return new double[] {metro[0] + dLat, metro[1] + dLon};
    }
}
