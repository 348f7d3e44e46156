package org.xenomarket.tests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The invoice run over a month of 1,000,000 hourly usage rollups (10,000 leases of 100 hours, 1,000
 * sponsors), beside a plain SQL {@code GROUP BY} sum of the same rows in the same run (issue 14,
 * item 7). The market is the packaged one, on the end-to-end database; the data goes in straight by
 * SQL, in a month of its own far in the past. The run is timed as finance sees it: one
 * {@code POST /api/v1/invoices/runs}, which rates, issues and posts to the ledger. Not a test (its
 * name matches no test pattern); docs/benchmarks.md has the command.
 */
public final class InvoiceRunBench {

    private static final String PLAIN_SUM = """
            SELECT lease_id, sum(net_tx_bytes), count(*) FROM usage_hourly WHERE hour >= ? AND hour < ? GROUP BY lease_id
            """;

    private InvoiceRunBench() {
    }

    public static void main(String[] args) throws Exception {
        int leases = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int sumRounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path work = Files.createTempDirectory("xenomarket-invoice-bench");
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"), MarketProcess.onTestDatabase(),
                Duration.ofMinutes(3))) {
            String finance = "Bearer " + E2e.account("OPERATOR", "finance");
            HttpClient http = HttpClient.newHttpClient();
            LocalDate month = LocalDate.of(1000 + ThreadLocalRandom.current().nextInt(800), 1, 1)
                    .plusMonths(ThreadLocalRandom.current().nextInt(12));
            // Untimed warm-up: a small month just before, so the timed run meets a warm JIT and pool.
            LocalDate warmUp = month.minusMonths(1);
            try (Connection db = E2e.connect()) {
                seed(db, 500, 24, warmUp.atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            HttpResponse<String> warm = http.send(runRequest(market, finance,
                    warmUp.atStartOfDay().toInstant(ZoneOffset.UTC), month.atStartOfDay().toInstant(ZoneOffset.UTC)),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("warm-up run: " + warm.statusCode() + " " + warm.body());
            Instant start = month.atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant end = month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            long seeding = System.nanoTime();
            try (Connection db = E2e.connect()) {
                seed(db, leases, hours, start);
            }
            System.out.printf("seeded %,d leases and %,d rollups for %s in %.1f s%n", leases, (long) leases * hours,
                    month, (System.nanoTime() - seeding) / 1e9);

            List<Double> before = plainSums(start, end, sumRounds);
            HttpRequest request = runRequest(market, finance, start, end);
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double run = (System.nanoTime() - t0) / 1e9;
            List<Double> after = plainSums(start, end, sumRounds);
            if (response.statusCode() != 201) {
                throw new IllegalStateException("invoice run answered " + response.statusCode() + ": " + response.body());
            }
            List<Double> sums = new ArrayList<>(before);
            sums.addAll(after);
            Collections.sort(sums);
            double median = sums.get(sums.size() / 2);
            System.out.println("invoice run: " + response.body());
            System.out.printf("invoice run (POST /api/v1/invoices/runs): %.3f s%n", run);
            System.out.printf("plain GROUP BY sum, %d rounds before and %d after: min %.3f s, median %.3f s, all %s%n",
                    sumRounds, sumRounds, sums.get(0), median, sums);
            System.out.printf("speed ratio run / plain sum (median): %.2f%n", median / run);
        }
    }

    private static HttpRequest runRequest(MarketProcess market, String finance, Instant start, Instant end) {
        return HttpRequest.newBuilder(URI.create(market.baseUrl() + "/api/v1/invoices/runs"))
                .header("Authorization", finance).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"periodStart\":\"" + start + "\",\"periodEnd\":\"" + end
                        + "\"}")).build();
    }

    private static List<Double> plainSums(Instant start, Instant end, int rounds) throws Exception {
        List<Double> seconds = new ArrayList<>();
        try (Connection db = E2e.connect(); PreparedStatement sum = db.prepareStatement(PLAIN_SUM)) {
            sum.setObject(1, start.atOffset(ZoneOffset.UTC));
            sum.setObject(2, end.atOffset(ZoneOffset.UTC));
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                long rows = 0;
                try (ResultSet result = sum.executeQuery()) {
                    while (result.next()) {
                        rows++;
                    }
                }
                seconds.add((System.nanoTime() - t0) / 1e9);
                if (rows == 0) {
                    throw new IllegalStateException("the plain sum found no rollups");
                }
            }
        }
        return seconds;
    }

    /** Sponsors (one per 10 leases), one provider with 10 servers, quotes, bids, leases and their rollups. */
    private static void seed(Connection db, int leases, int hours, Instant monthStart) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String m = "'" + monthStart + "'::timestamptz";
        int spread = Math.max(1, 24 * 28 - hours);
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE TEMP TABLE b_sponsor AS SELECT gen_random_uuid() AS id, g AS n FROM generate_series(0, "
                    + (leases / 10) + ") g");
            sql.execute("INSERT INTO account (id, name, kind) SELECT id, 'bench sponsor ' || n || ' " + tag
                    + "', 'SPONSOR' FROM b_sponsor");
            sql.execute("CREATE TEMP TABLE b_provider AS SELECT gen_random_uuid() AS id");
            sql.execute("INSERT INTO account (id, name, kind) SELECT id, 'bench provider " + tag + "', 'PROVIDER'"
                    + " FROM b_provider");
            sql.execute("CREATE TEMP TABLE b_site AS SELECT gen_random_uuid() AS id");
            sql.execute("INSERT INTO site (id, code, region_code, city, country, latitude, longitude, time_zone)"
                    + " SELECT id, 'bench-" + tag + "', 'eu-west', 'Bench', 'DE', 50.1, 8.6, 'Europe/Berlin' FROM b_site");
            sql.execute("CREATE TEMP TABLE b_server AS SELECT gen_random_uuid() AS id, g AS n FROM generate_series(0, 9) g");
            sql.execute("INSERT INTO server (id, provider_id, site_id, name, vcpus, memory_mib, disk_gib, egress_mbps,"
                    + " hypervisor, state, currency) SELECT s.id, p.id, site.id, 'bench-' || s.n, 4096, 8388608, 409600,"
                    + " 10000, 'SIMULATED', 'ACTIVE', 'EUR' FROM b_server s, b_provider p, b_site site");
            sql.execute("CREATE TEMP TABLE b_lease AS SELECT gen_random_uuid() AS id, gen_random_uuid() AS bid_id,"
                    + " gen_random_uuid() AS quote_id, g AS n, " + m + " + (g % " + spread + ") * interval '1 hour'"
                    + " + interval '13 minutes 7.5 seconds' AS start_at FROM generate_series(0, " + (leases - 1) + ") g");
            String pick = " FROM b_lease l JOIN b_sponsor sp ON sp.n = l.n / 10 JOIN b_server sv ON sv.n = l.n % 10,"
                    + " b_provider p";
            sql.execute("INSERT INTO quote (id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,"
                    + " expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,"
                    + " unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until)"
                    + " SELECT l.quote_id, sp.id, sv.id, 'RESERVED', 1 + l.n % 8, 1024 * (1 + l.n % 16), l.n % 100, 0,"
                    + " l.start_at, " + hours + ", 'EUR', 0.031234, 0.004321, 0.000123, 0.051, 0.1, 10, 'bench-1',"
                    + " l.start_at" + pick);
            sql.execute("INSERT INTO bid (id, sponsor_id, request_fingerprint, service_class, vcpus, memory_mib, disk_gib,"
                    + " near_latitude, near_longitude, within_km, start_at, duration_hours, currency, max_price_per_hour,"
                    + " state, expires_at) SELECT l.bid_id, sp.id, '\\x00', 'RESERVED', 1 + l.n % 8,"
                    + " 1024 * (1 + l.n % 16), l.n % 100, 50.1, 8.6, 10, l.start_at, " + hours
                    + ", 'EUR', 10, 'MATCHED', l.start_at" + pick);
            sql.execute("INSERT INTO lease (id, bid_id, quote_id, sponsor_id, server_id, provider_id, service_class, vcpus,"
                    + " memory_mib, disk_gib, start_at, end_at, currency, unit_vcpu_hour, unit_memory_gib_hour,"
                    + " unit_disk_gib_hour, unit_egress_gb, price_per_hour, policy_version, state)"
                    + " SELECT l.id, l.bid_id, l.quote_id, sp.id, sv.id, p.id, 'RESERVED', 1 + l.n % 8,"
                    + " 1024 * (1 + l.n % 16), l.n % 100, l.start_at, l.start_at + interval '" + hours + " hours',"
                    + " 'EUR', 0.031234, 0.004321, 0.000123, 0.051, 0.1, 'bench-1', 'ENDED'" + pick);
            sql.execute("INSERT INTO usage_hourly (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,"
                    + " net_tx_bytes, disk_read_bytes, disk_write_bytes, records)"
                    + " SELECT l.id, date_trunc('hour', l.start_at) + k * interval '1 hour', sv.id, 3600000000000,"
                    + " 3686400, 1000000, 7654321 * (1 + (l.n + k) % 97), 5000000, 7000000, 1"
                    + " FROM b_lease l JOIN b_server sv ON sv.n = l.n % 10, generate_series(0, " + (hours - 1) + ") k");
            sql.execute("ANALYZE usage_hourly");
            sql.execute("ANALYZE lease");
        }
    }
}
