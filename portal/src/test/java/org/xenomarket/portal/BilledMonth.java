package org.xenomarket.portal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A month of leases, invoiced, for the billing, report and earnings pages: Acme and Globex each bid
 * through the market's API for a lease on a Fenland server in Cambridge; the leases are moved into a
 * month of their own far in the past (the tests' database outlives a run, and invoice runs never
 * overlap), with an hourly rollup and usage record per hour; then finance invoices that month through
 * the API. Acme's lease also gets two hours of CPU use this week, for the provider's utilisation
 * chart. Made once per test JVM.
 *
 * @param acmeInvoice   Acme's invoice for the month
 * @param globexInvoice Globex's invoice for the month, which Acme must not read
 */
record BilledMonth(String acmeInvoice, String globexInvoice, String acmeLease, LocalDate start, LocalDate end) {

    private static BilledMonth once;

    static synchronized BilledMonth once() {
        if (once == null) {
            once = create();
        }
        return once;
    }

    private static BilledMonth create() {
        LocalDate month = LocalDate.of(1200 + ThreadLocalRandom.current().nextInt(700),
                1 + ThreadLocalRandom.current().nextInt(12), 1);
        Instant start = month.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String acmeLease = lease("xm_demo_sponsor_acme");
        String globexLease = lease("xm_demo_sponsor_globex");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + MarketProcess.DATABASE,
                "postgres", "")) {
            moveInto(db, acmeLease, start, "interval '3 days'", "interval '10 days'", 1);
            moveInto(db, globexLease, start, "interval '5 days'", "interval '2 days'", 2);
            recentUse(db, acmeLease);
            String run = MarketCalls.send("POST", "/api/v1/invoices/runs", "xm_demo_finance",
                    "{\"periodStart\": \"" + start + "\", \"periodEnd\": \"" + end + "\"}", 201);
            if (!run.contains("invoices")) {
                throw new IllegalStateException("invoice run: " + run);
            }
            return new BilledMonth(invoiceOf(db, "Acme Sensors", start), invoiceOf(db, "Globex Games", start),
                    acmeLease, month, month.plusMonths(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 2-hour reserved lease for a sponsor on a Fenland server within 5 km of Cambridge. */
    private static String lease(String token) {
        String bidId = MarketCalls.placeBid(token, """
                {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 10},
                 "placement": {"latitude": 52.2053, "longitude": 0.1218, "withinKm": 5},
                 "durationHours": 2, "maxPricePerHour": {"amount": "5", "currency": "EUR"}}""");
        return MarketCalls.leaseOfBid(token, bidId);
    }

    /** Moves the lease to [month start + from, + length), ended, with a rollup and a record per whole hour. */
    private static void moveInto(Connection db, String lease, Instant monthStart, String from, String length, int index)
            throws SQLException {
        execute(db, "UPDATE lease SET start_at = ?::timestamptz + " + from + ", end_at = ?::timestamptz + " + from
                + " + " + length + " WHERE id = ?::uuid", monthStart.toString(), monthStart.toString(), lease);
        String hours = """
                SELECT l.id AS lease_id, l.server_id, n.id AS node_id, g.hour, row_number() OVER (ORDER BY g.hour) AS k,
                       (abs(extract(epoch FROM g.hour)::bigint) %% 7919 + 1) * 1234567 AS tx
                FROM lease l JOIN node n ON n.server_id = l.server_id,
                     generate_series(l.start_at + interval '1 hour', l.end_at - interval '1 hour', interval '1 hour') AS g(hour)
                WHERE l.id = ?::uuid
                """.formatted();
        long base = 900_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000) * 100_000 + index * 10_000L;
        execute(db, "INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,"
                + " net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)"
                + " SELECT node_id, " + base + " + k, lease_id, hour, hour + interval '1 hour',"
                + " 1000, 2000, tx / 3, tx, tx / 5, tx / 7, decode(repeat('ab', 64), 'hex') FROM (" + hours + ") h", lease);
        execute(db, "INSERT INTO usage_hourly (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,"
                + " net_tx_bytes, disk_read_bytes, disk_write_bytes, records)"
                + " SELECT lease_id, hour, server_id, 1000, 2000, tx / 3, tx, tx / 5, tx / 7, 1 FROM (" + hours + ") h", lease);
    }

    /**
     * Two hours of CPU use this week on the Acme lease's server, a quarter of its vCPUs each, for the
     * provider's utilisation chart (the demo's agents report none): outside the invoiced month.
     */
    private static void recentUse(Connection db, String lease) throws SQLException {
        execute(db, "INSERT INTO usage_hourly (lease_id, hour, server_id, cpu_nanos, memory_mib_seconds, net_rx_bytes,"
                + " net_tx_bytes, disk_read_bytes, disk_write_bytes, records)"
                + " SELECT l.id, date_trunc('hour', now()) - g.back * interval '1 hour', l.server_id,"
                + " 3600000000000 * s.vcpus / 4, 0, 0, 0, 0, 0, 1"
                + " FROM lease l JOIN server s ON s.id = l.server_id, (VALUES (2), (3)) AS g(back) WHERE l.id = ?::uuid", lease);
    }

    private static String invoiceOf(Connection db, String sponsor, Instant periodStart) throws SQLException {
        try (PreparedStatement find = db.prepareStatement("SELECT i.id FROM invoice i JOIN account a ON a.id = i.sponsor_id"
                + " WHERE a.name = ? AND i.period_start = ?::timestamptz AND i.kind = 'INVOICE'")) {
            find.setString(1, sponsor);
            find.setString(2, periodStart.toString());
            try (ResultSet row = find.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no invoice of " + sponsor + " for " + periodStart);
                }
                return row.getString(1);
            }
        }
    }

    private static void execute(Connection db, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
