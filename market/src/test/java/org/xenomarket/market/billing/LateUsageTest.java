package org.xenomarket.market.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.money.MinorUnits;

/**
 * Usage that reaches the market after its hour was invoiced is billed on the sponsor's next invoice,
 * as a LATE_EGRESS line whose charged window is the period it belongs to, exactly once, and
 * recomputable from its trace like any other line.
 */
@QuarkusTest
class LateUsageTest {

    private static final long GB = 1_000_000_000L;

    private final TestAccounts accounts;
    private final Sql sql;

    LateUsageTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void usageArrivingAfterItsPeriodWasInvoicedIsBilledOnceOnTheNextInvoice() throws SQLException {
        BilledMonth month = BilledMonth.create(accounts, sql);
        String whole = month.leases().get(0);
        String failed = month.leases().get(1);
        String preempted = month.leases().get(2);
        // The month is invoiced in three runs: two weeks, one week, the rest.
        Instant first = month.start().plus(Duration.ofDays(14));
        Instant second = month.start().plus(Duration.ofDays(21));
        // An hour the failed lease's records do not cover yet: part of it arrives in time.
        Instant failingHour = month.start().plus(Duration.ofDays(9).plusHours(9));
        arrives(failed, 1, failingHour, failingHour.plus(Duration.ofMinutes(5)), 1_000_000L);

        long inTime = sql.number("SELECT sum(net_tx_bytes) FROM usage_hourly WHERE lease_id = ?::uuid"
                + " AND hour < ?::timestamptz", failed, first.toString());
        run(month, month.start(), first);
        String firstInvoiceA = invoiceOf(month.sponsorA(), month.start());
        long firstTotalA = total(month.sponsorA(), firstInvoiceA);
        long billedInTime = sql.number("SELECT quantity::bigint FROM invoice_line WHERE lease_id = ?::uuid"
                + " AND kind = 'EGRESS' AND invoice_id = ?::uuid", failed, firstInvoiceA);

        // Late: a new hour of the whole-month lease, more bytes in an hour already rolled up (the
        // failed lease's), and the pre-empted lease's last minutes; all in the first run's period.
        arrives(whole, 2, month.start(), month.start().plus(Duration.ofMinutes(30)), 5 * GB);
        arrives(failed, 3, failingHour.plus(Duration.ofMinutes(5)), failingHour.plus(Duration.ofMinutes(15)), 7 * GB);
        Instant lastHour = month.start().plus(Duration.ofDays(12));
        arrives(preempted, 4, lastHour, lastHour.plus(Duration.ofMinutes(32)), 2 * GB + 500_000_000L);

        run(month, first, second);
        String secondInvoiceA = invoiceOf(month.sponsorA(), first);
        String secondInvoiceB = invoiceOf(month.sponsorB(), first);
        assertEquals(List.of(5 * GB, 7 * GB), lateQuantities(secondInvoiceA, month.start(), first));
        assertEquals(List.of(2 * GB + 500_000_000L), lateQuantities(secondInvoiceB, month.start(), first));
        assertEquals(inTime, billedInTime, "what arrived in time, the failing hour's first bytes included, was on the"
                + " first invoice");
        assertEquals(firstTotalA, total(month.sponsorA(), firstInvoiceA), "the invoiced period is never re-issued");

        // More of the whole-month lease's first hour arrives; the third run bills only that.
        arrives(whole, 5, month.start().plus(Duration.ofMinutes(30)), month.start().plus(Duration.ofMinutes(60)),
                3 * GB);
        run(month, second, month.end());
        String thirdInvoiceA = invoiceOf(month.sponsorA(), second);
        String thirdInvoiceB = invoiceOf(month.sponsorB(), second);
        assertEquals(List.of(3 * GB), lateQuantities(thirdInvoiceA, month.start(), first));
        assertEquals(List.of(), lateQuantities(thirdInvoiceB, month.start(), first));

        // Never billed twice: per lease and window, the egress lines bill exactly the rollups.
        for (String lease : month.leases()) {
            assertEquals(sql.number("SELECT coalesce(sum(net_tx_bytes), 0) FROM usage_hourly WHERE lease_id = ?::uuid"
                            + " AND hour >= ?::timestamptz AND hour < ?::timestamptz", lease, month.start().toString(),
                            first.toString()),
                    sql.number("SELECT coalesce(sum(quantity), 0)::bigint FROM invoice_line WHERE lease_id = ?::uuid"
                            + " AND kind IN ('EGRESS', 'LATE_EGRESS') AND charged_from = ?::timestamptz"
                            + " AND charged_to = ?::timestamptz", lease, month.start().toString(), first.toString()),
                    "egress of lease " + lease + " in the first period");
        }

        // Every late line recomputes from its trace, and every invoice adds up and posts balanced.
        int late = 0;
        for (TestAccounts.Member sponsor : List.of(month.sponsorA(), month.sponsorB())) {
            for (String invoiceId : List.of(invoiceOf(sponsor, first), invoiceOf(sponsor, second))) {
                JsonPath invoice = get(sponsor, "/api/v1/invoices/" + invoiceId).statusCode(200).extract().jsonPath();
                long sum = 0;
                for (Map<String, Object> line : invoice.<Map<String, Object>>getList("lines")) {
                    sum += ((Number) line.get("amountMinor")).longValue();
                    if (!"LATE_EGRESS".equals(line.get("kind"))) {
                        continue;
                    }
                    JsonPath trace = get(sponsor, "/api/v1/invoices/" + invoiceId + "/lines/" + line.get("lineNo")
                            + "/trace").statusCode(200).extract().jsonPath();
                    assertEquals(trace.getLong("line.amountMinor"), recomputeLate(trace), "late line " + line);
                    assertCorrectsTheFirstPeriodsLine(sponsor, month, first, trace);
                    late++;
                }
                assertEquals(invoice.getLong("totalMinor"), sum);
                assertEquals(invoice.getLong("totalMinor"), sql.number("SELECT sum(amount_minor) FROM journal_line jl"
                        + " JOIN journal_entry je ON je.id = jl.entry_id WHERE je.invoice_id = ?::uuid"
                        + " AND jl.account = 'SPONSOR_RECEIVABLE'", invoiceId));
            }
        }
        assertEquals(4, late);
        assertEquals(0, sql.number("SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency"
                + " HAVING sum(amount_minor) <> 0) off"));
    }

    /**
     * A late line is an adjustment pointing at the line it corrects: the same lease's egress line (or,
     * if that period billed it no egress, its reserved line) on the invoice of the period it belongs to.
     */
    private void assertCorrectsTheFirstPeriodsLine(TestAccounts.Member sponsor, BilledMonth month, Instant first,
                                                   JsonPath trace) throws SQLException {
        String corrected = trace.getString("line.correctsInvoiceId");
        assertEquals(invoiceOf(sponsor, month.start()), corrected, "late line " + trace.getMap("line"));
        JsonPath original = get(sponsor, "/api/v1/invoices/" + corrected).statusCode(200).extract().jsonPath();
        Map<String, Object> line = original.<Map<String, Object>>getList("lines").stream()
                .filter(l -> l.get("lineNo").equals(trace.getInt("line.correctsLineNo"))).findFirst().orElseThrow();
        assertEquals(trace.getString("line.leaseId"), line.get("leaseId"));
        boolean egress = "EGRESS".equals(line.get("kind"));
        assertTrue(egress || "RESERVED".equals(line.get("kind")), "corrects " + line);
        if (egress) {
            assertEquals(month.start(), Instant.parse((String) line.get("chargedFrom")));
            assertEquals(first, Instant.parse((String) line.get("chargedTo")));
        } else {
            assertEquals(0, sql.number("SELECT count(*) FROM invoice_line WHERE invoice_id = ?::uuid"
                    + " AND lease_id = ?::uuid AND kind = 'EGRESS'", corrected, trace.getString("line.leaseId")),
                    "a late line corrects the reserved line only when its period billed the lease no egress");
        }
    }

    /** A signed-looking usage record of the lease, and its bytes added to its hour's rollup as ingestion does. */
    private void arrives(String leaseId, int n, Instant t0, Instant t1, long txBytes) throws SQLException {
        sql.execute("INSERT INTO usage_record (node_id, sequence, lease_id, t0, t1, cpu_nanos, memory_mib_seconds,"
                + " net_rx_bytes, net_tx_bytes, disk_read_bytes, disk_write_bytes, signature)"
                + " SELECT n.id, 900000000 + ?, l.id, ?::timestamptz, ?::timestamptz, 0, 0, 0, ?, 0, 0,"
                + " decode(repeat('cd', 64), 'hex') FROM lease l JOIN node n ON n.server_id = l.server_id"
                + " WHERE l.id = ?::uuid", n, t0.toString(), t1.toString(), txBytes, leaseId);
        sql.execute("INSERT INTO usage_hourly AS h (lease_id, hour, server_id, net_tx_bytes, records)"
                + " SELECT id, ?::timestamptz, server_id, ?, 1 FROM lease WHERE id = ?::uuid"
                + " ON CONFLICT (lease_id, hour, server_id) DO UPDATE SET net_tx_bytes = h.net_tx_bytes + excluded.net_tx_bytes,"
                + " records = h.records + 1", t0.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString(), txBytes,
                leaseId);
    }

    private void run(BilledMonth month, Instant from, Instant to) {
        post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", from.toString(), "periodEnd", to.toString()))
                .statusCode(201);
    }

    private String invoiceOf(TestAccounts.Member sponsor, Instant periodStart) {
        return sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND period_start = ?::timestamptz"
                + " AND kind = 'INVOICE'", sponsor.accountId(), periodStart.toString());
    }

    private static long total(TestAccounts.Member sponsor, String invoiceId) {
        return get(sponsor, "/api/v1/invoices/" + invoiceId).statusCode(200).extract().jsonPath().getLong("totalMinor");
    }

    /** The quantities of the invoice's LATE_EGRESS lines charged to {@code [from, to)}, in line order. */
    private List<Long> lateQuantities(String invoiceId, Instant from, Instant to) {
        String listed = sql.text("SELECT coalesce(string_agg(quantity::bigint::text, ',' ORDER BY line_no), '')"
                + " FROM invoice_line WHERE invoice_id = ?::uuid AND kind = 'LATE_EGRESS'"
                + " AND charged_from = ?::timestamptz AND charged_to = ?::timestamptz", invoiceId, from.toString(),
                to.toString());
        return listed.isEmpty() ? List.of() : java.util.Arrays.stream(listed.split(",")).map(Long::valueOf).toList();
    }

    /** A late line from its trace alone: the window's rollups less the other egress lines of the window. */
    private static long recomputeLate(JsonPath trace) {
        long rollups = trace.<Map<String, Object>>getList("rollups").stream()
                .mapToLong(r -> ((Number) r.get("netTxBytes")).longValue()).sum();
        BigDecimal billedElsewhere = trace.<Map<String, Object>>getList("otherEgressLines").stream()
                .map(l -> new BigDecimal(String.valueOf(l.get("quantity")))).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal quantity = BigDecimal.valueOf(rollups).subtract(billedElsewhere);
        assertEquals(0, quantity.compareTo(new BigDecimal(trace.getString("line.quantity"))), "late quantity");
        assertEquals(trace.getString("lease.id"), trace.getString("line.leaseId"));
        assertEquals(trace.getString("quote.policyVersion"), trace.getString("policyVersion"));
        BigDecimal unitPrice = new BigDecimal(trace.getString("lease.unitEgressGb"));
        assertEquals(0, unitPrice.compareTo(new BigDecimal(trace.getString("line.unitPrice"))));
        assertEquals(GB, trace.getLong("line.quantityPerUnit"));
        return MinorUnits.round(quantity.multiply(unitPrice), BigDecimal.valueOf(GB),
                Currency.getInstance(trace.getString("lease.currency")));
    }
}
