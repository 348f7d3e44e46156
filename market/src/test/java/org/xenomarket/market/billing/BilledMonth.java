package org.xenomarket.market.billing;

import static org.hamcrest.Matchers.equalTo;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * A month of leases and usage to invoice: two sponsors with four leases on one provider's server,
 * moved into a month of their own far in the past (so no other test's leases fall in it): one
 * lease the whole month, one that failed mid-month, one best-effort lease pre-empted with notice,
 * one that began before the month and ends after it. Usage is one signed-looking record and one
 * rollup per whole hour of each lease, plus rollups just outside the month that must not be billed.
 *
 * @param leases  in the order above; the first two are {@code sponsorA}'s, the others {@code sponsorB}'s
 */
record BilledMonth(TestAccounts.Member provider, TestAccounts.Member sponsorA, TestAccounts.Member sponsorB,
                   TestAccounts.Member finance, List<String> leases, Instant start, Instant end) {

    static BilledMonth create(TestAccounts accounts, Sql sql) {
        TestAccounts.Member provider = accounts.provider("Billed Provider");
        TestAccounts.Member sponsorA = accounts.sponsor("Billed Sponsor A");
        TestAccounts.Member sponsorB = accounts.sponsor("Billed Sponsor B");
        TestAccounts.Member finance = accounts.create("Billing Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(16).memoryMib(32768).diskGib(400));
        List<String> leases = List.of(lease(sponsorA, here, 4, 8192, 50), lease(sponsorA, here, 2, 3000, 0),
                lease(sponsorB, here, 1, 1024, 20), lease(sponsorB, here, 3, 4096, 100));
        // A month no stored run overlaps: runs never overlap (a second is a 409), and the tests' database outlives a
        // run. Drawing at random alone once drew a month another test had invoiced (CI, InvoiceRunTest).
        LocalDate month;
        Instant start;
        Instant end;
        do {
            month = LocalDate.of(1200 + ThreadLocalRandom.current().nextInt(700), 1 + ThreadLocalRandom.current()
                    .nextInt(12), 1);
            start = month.atStartOfDay().toInstant(ZoneOffset.UTC);
            end = month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        } while (overlapsAStoredRun(sql, start, end));
        try {
            window(sql, leases.get(0), start.toString(), "interval '0'", "interval '1 month'");
            // Fails 9 days, 7 h, 3 min and 12.345678 s after it began, 2 h 17 min into the month.
            window(sql, leases.get(1), start.toString(), "interval '2 hours 17 minutes'", "interval '20 days'");
            sql.execute("UPDATE lease SET state = 'FAILED', failure_cause = 'HOST', state_reason = 'host lost',"
                    + " failed_at = start_at + interval '9 days 7 hours 3 minutes 12.345678 seconds' WHERE id = ?::uuid",
                    leases.get(1));
            // Pre-empted on day 12 with a 2-minute notice: its end moved to the notice's end.
            window(sql, leases.get(2), start.toString(), "interval '5 days 30 minutes'", "interval '15 days'");
            sql.execute("UPDATE lease SET service_class = 'BEST_EFFORT', preempted_at = start_at + interval '7 days',"
                    + " end_at = start_at + interval '7 days 2 minutes', state = 'PREEMPTED' WHERE id = ?::uuid",
                    leases.get(2));
            window(sql, leases.get(3), start.toString(), "interval '-3 days'", "interval '2 months'");
            for (int i = 0; i < leases.size(); i++) {
                usage(sql, leases.get(i), i);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new BilledMonth(provider, sponsorA, sponsorB, finance, leases, start, end);
    }

    private static boolean overlapsAStoredRun(Sql sql, Instant start, Instant end) {
        return sql.number("SELECT count(*) FROM invoice_run WHERE tstzrange(period_start, period_end)"
                + " && tstzrange(?::timestamptz, ?::timestamptz)", start.toString(), end.toString()) > 0;
    }

    private static String lease(TestAccounts.Member sponsor, Places here, int vcpus, long memoryMib, long diskGib) {
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(vcpus).memoryMib(memoryMib).diskGib(diskGib).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        return get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
    }

    private static void window(Sql sql, String leaseId, String monthStart, String from, String length)
            throws SQLException {
        sql.execute("UPDATE lease SET start_at = ?::timestamptz + " + from + ", end_at = ?::timestamptz + " + from
                + " + " + length + " WHERE id = ?::uuid", monthStart, monthStart, leaseId);
    }

    /**
     * One record and one rollup for every whole hour the lease ran, from the hour after its start to
     * the hour before its end or failure (a guest sends nothing once stopped); the bytes vary per hour.
     */
    private static void usage(Sql sql, String leaseId, int index) throws SQLException {
        String hours = """
                SELECT l.id AS lease_id, l.server_id, n.id AS node_id, g.hour, row_number() OVER (ORDER BY g.hour) AS k,
                       (abs(extract(epoch FROM g.hour)::bigint) %% 7919 + 1) * 1234567 + %d AS tx
                FROM lease l JOIN node n ON n.server_id = l.server_id,
                     generate_series(date_trunc('hour', l.start_at) + interval '1 hour',
                                     least(l.end_at, coalesce(l.failed_at, l.end_at)) - interval '1 hour',
                                     interval '1 hour') AS g(hour)
                WHERE l.id = ?::uuid
                """.formatted(index * 1000);
        sql.execute("INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,"
                + " net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)"
                + " SELECT node_id, " + (index + 1) + " * 10000000 + k, lease_id, hour, hour + interval '1 hour',"
                + " 1000, 2000, tx / 3, tx, tx / 5, tx / 7, decode(repeat('ab', 64), 'hex') FROM (" + hours + ") h",
                leaseId);
        sql.execute("INSERT INTO usage_hourly (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,"
                + " net_tx_bytes, disk_read_bytes, disk_write_bytes, records)"
                + " SELECT lease_id, hour, server_id, 1000, 2000, tx / 3, tx, tx / 5, tx / 7, 1 FROM (" + hours + ") h",
                leaseId);
    }
}
