package org.xenomarket.market.billing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.money.MinorUnits;

@QuarkusTest
class InvoiceRunTest {

    private final TestAccounts accounts;
    private final Sql sql;

    InvoiceRunTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void everyLineOfAMonthRecomputesFromItsTraceToTheSameAmount() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        JsonPath run = runInvoices(month).statusCode(201).extract().jsonPath();
        assertEquals(2, run.getInt("invoices"));

        int recomputed = 0;
        for (TestAccounts.Member sponsor : List.of(month.sponsorA(), month.sponsorB())) {
            String invoiceId = invoiceOf(sponsor, month);
            JsonPath invoice = get(sponsor, "/api/v1/invoices/" + invoiceId).statusCode(200).extract().jsonPath();
            List<Map<String, Object>> lines = invoice.getList("lines");
            long sum = 0;
            for (Map<String, Object> line : lines) {
                int n = (Integer) line.get("lineNo");
                JsonPath trace = get(sponsor, "/api/v1/invoices/" + invoiceId + "/lines/" + n + "/trace")
                        .statusCode(200).extract().jsonPath();
                long amount = recompute(trace, month);
                assertEquals(trace.getLong("line.amountMinor"), amount, "line " + n + " of " + invoiceId);
                sum += amount;
                recomputed++;
            }
            assertEquals(invoice.getLong("totalMinor"), sum);
        }
        // Each of the four leases has one RESERVED line (lease 2's without disk) and one EGRESS line.
        assertEquals(4 * 2, recomputed);
    }

    @Test
    void reservedTimeStopsAtAFailureAndAtAPreemptionNoticesEnd() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        runInvoices(month).statusCode(201);
        JsonPath a = get(month.sponsorA(), "/api/v1/invoices/" + invoiceOf(month.sponsorA(), month)).extract().jsonPath();
        // Lease 2: from 02:17 for 9 d 7 h 3 min 12.345678 s.
        long failedSeconds = Duration.ofDays(9).plusHours(7).plusMinutes(3).plusSeconds(12).getSeconds();
        assertSameNumber(new BigDecimal(failedSeconds + ".345678"), quantity(a, month.leases().get(1), "RESERVED"));
        JsonPath b = get(month.sponsorB(), "/api/v1/invoices/" + invoiceOf(month.sponsorB(), month)).extract().jsonPath();
        // Lease 3: 7 days and the 2-minute notice.
        assertSameNumber(new BigDecimal(Duration.ofDays(7).plusMinutes(2).getSeconds()),
                quantity(b, month.leases().get(2), "RESERVED"));
        // Lease 4 began before the month and ends after it: billed the month's hours only, rollups included.
        assertSameNumber(new BigDecimal(Duration.between(month.start(), month.end()).getSeconds()),
                quantity(b, month.leases().get(3), "RESERVED"));
        long hours = Duration.between(month.start(), month.end()).toHours();
        assertEquals(hours, sql.number("SELECT rollups FROM invoice_line WHERE lease_id = ?::uuid AND kind = 'EGRESS'",
                month.leases().get(3)));
    }

    @Test
    void anInvoiceRunPostsOneBalancedEntryPerInvoiceWithTheFee() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        runInvoices(month).statusCode(201);
        String invoiceId = invoiceOf(month.sponsorA(), month);
        long total = get(month.sponsorA(), "/api/v1/invoices/" + invoiceId).extract().jsonPath().getLong("totalMinor");
        assertEquals(total, sql.number("SELECT sum(amount_minor) FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.invoice_id = ?::uuid AND jl.account = 'SPONSOR_RECEIVABLE'", invoiceId));
        long fee = -sql.number("SELECT sum(amount_minor) FROM journal_line jl JOIN journal_entry je ON je.id = jl.entry_id"
                + " WHERE je.invoice_id = ?::uuid AND jl.account = 'PLATFORM_FEE_REVENUE'", invoiceId);
        assertEquals(MinorUnits.roundFraction(BigDecimal.valueOf(total).multiply(new BigDecimal("0.10"))), fee);
        assertEquals(0, sql.number("SELECT sum(amount_minor) FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.invoice_id = ?::uuid", invoiceId));
        assertEquals(0, sql.number("SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency"
                + " HAVING sum(amount_minor) <> 0) off"));
    }

    @Test
    void aPeriodOverlappingAnInvoicedOneIsRefusedAndNothingChanges() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        runInvoices(month).statusCode(201);
        long invoices = sql.number("SELECT count(*) FROM invoice");
        long entries = sql.number("SELECT count(*) FROM journal_entry");
        post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().plus(Duration.ofDays(3)),
                "periodEnd", month.end().plus(Duration.ofDays(3))))
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/period-already-invoiced"))
                .body("errors.field", hasItem("periodStart"));
        assertEquals(invoices, sql.number("SELECT count(*) FROM invoice"));
        assertEquals(entries, sql.number("SELECT count(*) FROM journal_entry"));
    }

    @Test
    void issuedInvoicesAndJournalEntriesCannotBeChangedEvenInSql() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        runInvoices(month).statusCode(201);
        String invoiceId = invoiceOf(month.sponsorA(), month);
        assertThrows(SQLException.class, () -> sql.execute(
                "UPDATE invoice_line SET amount_minor = amount_minor + 1 WHERE invoice_id = ?::uuid", invoiceId));
        assertThrows(SQLException.class, () -> sql.execute("DELETE FROM invoice WHERE id = ?::uuid", invoiceId));
        assertThrows(SQLException.class, () -> sql.execute("UPDATE journal_line SET amount_minor = 1"
                + " WHERE entry_id = (SELECT id FROM journal_entry WHERE invoice_id = ?::uuid)", invoiceId));
        // An entry whose lines do not sum to zero is refused when the statement inserting them ends.
        SQLException unbalanced = assertThrows(SQLException.class, () -> sql.execute("""
                WITH e AS (INSERT INTO journal_entry (id, kind, provider_reference, posted_at, description)
                           VALUES (gen_random_uuid(), 'PAYOUT', gen_random_uuid()::text, now(), 'lopsided') RETURNING id)
                INSERT INTO journal_line (entry_id, line_no, account, party_id, currency, amount_minor)
                SELECT id, 1, 'PROVIDER_CASH', NULL, 'EUR', 100 FROM e
                """));
        assertTrue(unbalanced.getMessage().contains("does not balance"), unbalanced.getMessage());
    }

    @Test
    void aLineMustReferToAnInvoiceALeaseAndALineItCorrectsThatExistAndLeasesStay() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        runInvoices(month).statusCode(201);
        String invoiceId = invoiceOf(month.sponsorA(), month);
        long lines = sql.number("SELECT count(*) FROM invoice_line");
        String copy = """
                INSERT INTO invoice_line (invoice_id, line_no, kind, lease_id, provider_id, quote_id, policy_version,
                    charged_from, charged_to, quantity, quantity_per_unit, unit_price, amount_minor, currency,
                    corrects_invoice_id, corrects_line_no, reason)
                SELECT %s, 900, %s, %s, provider_id, quote_id, policy_version, charged_from, charged_to, quantity,
                    quantity_per_unit, unit_price, %s, currency, %s, %s, %s
                FROM invoice_line WHERE invoice_id = ?::uuid AND kind = 'EGRESS' LIMIT 1
                """;
        List<String> orphans = List.of(
                copy.formatted("gen_random_uuid()", "kind", "lease_id", "amount_minor", "NULL", "NULL", "NULL"),
                copy.formatted("invoice_id", "kind", "gen_random_uuid()", "amount_minor", "NULL", "NULL", "NULL"),
                copy.formatted("invoice_id", "'CREDIT'", "lease_id", "-1", "invoice_id", "899", "'no such line'"));
        for (String orphan : orphans) {
            SQLException refused = assertThrows(SQLException.class, () -> sql.execute(orphan, invoiceId));
            assertEquals("23503", refused.getSQLState(), refused.getMessage());
        }
        assertEquals(lines, sql.number("SELECT count(*) FROM invoice_line"));
        String lease = month.leases().get(0);
        // Refused as a lease's removal (23001), before any foreign key to the lease is looked at (23503).
        assertEquals("23001", assertThrows(SQLException.class,
                () -> sql.execute("DELETE FROM lease WHERE id = ?::uuid", lease)).getSQLState());
        assertEquals("23001", assertThrows(SQLException.class,
                () -> sql.execute("UPDATE lease SET id = gen_random_uuid() WHERE id = ?::uuid", lease)).getSQLState());
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ?::uuid", lease));
    }

    @Test
    void sponsorsSeeOnlyTheirOwnInvoicesAndOnlyFinanceRunsThem() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        post(month.sponsorA(), "/api/v1/invoices/runs", Map.of("periodStart", month.start())).statusCode(403);
        runInvoices(month).statusCode(201);
        String invoiceOfB = invoiceOf(month.sponsorB(), month);
        get(month.sponsorA(), "/api/v1/invoices/" + invoiceOfB).statusCode(404);
        get(month.sponsorA(), "/api/v1/invoices/" + invoiceOfB + "/lines/1/trace").statusCode(404);
        get(month.provider(), "/api/v1/invoices").statusCode(403);
        List<String> seenByA = get(month.sponsorA(), "/api/v1/invoices?limit=500").extract().jsonPath()
                .getList("items.sponsorId");
        assertTrue(seenByA.stream().allMatch(id -> id.equals(month.sponsorA().accountId().toString())), seenByA.toString());
        get(month.finance(), "/api/v1/invoices/" + invoiceOfB).statusCode(200)
                .body("sponsorId", equalTo(month.sponsorB().accountId().toString()));
        get(month.finance(), "/api/v1/invoices/" + invoiceOfB + "/lines/99/trace").statusCode(404);
    }

    private io.restassured.response.ValidatableResponse runInvoices(BilledMonth month) {
        return post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().toString(),
                "periodEnd", month.end().toString()));
    }

    private String invoiceOf(TestAccounts.Member sponsor, BilledMonth month) {
        return sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND period_start = ?::timestamptz AND kind = 'INVOICE'",
                sponsor.accountId(), month.start().toString());
    }

    private static BigDecimal quantity(JsonPath invoice, String leaseId, String kind) {
        List<Map<String, Object>> lines = invoice.getList("lines");
        return lines.stream().filter(l -> l.get("leaseId").equals(leaseId) && l.get("kind").equals(kind))
                .map(l -> new BigDecimal((String) l.get("quantity"))).findFirst().orElseThrow();
    }

    private static void assertSameNumber(BigDecimal expected, BigDecimal actual) {
        assertEquals(0, expected.compareTo(actual), "expected " + expected + ", was " + actual);
    }

    /**
     * The line's amount from nothing but its trace: the lease's window within the period (cut at its
     * failure) at the hourly price of its resources, or the rollups' bytes at its egress price, rounded
     * by the market's one rule. Also checks that quote, policy version, usage records and the line's
     * own copy of the reservation agree.
     */
    private static long recompute(JsonPath trace, BilledMonth month) {
        String kind = trace.getString("line.kind");
        Currency currency = Currency.getInstance(trace.getString("lease.currency"));
        assertEquals(trace.getString("lease.policyVersion"), trace.getString("policyVersion"));
        assertEquals(trace.getString("quote.policyVersion"), trace.getString("policyVersion"));
        assertEquals(trace.getString("quote.id"), trace.getString("line.quoteId"));
        BigDecimal quantity;
        BigDecimal unitPrice;
        long perUnit;
        if (kind.equals("EGRESS")) {
            List<Map<String, Object>> rollups = trace.getList("rollups");
            List<Map<String, Object>> records = trace.getList("usageRecords");
            long bytes = rollups.stream().mapToLong(r -> ((Number) r.get("netTxBytes")).longValue()).sum();
            long recorded = records.stream().filter(r -> !Instant.parse((String) r.get("t0")).isBefore(month.start())
                            && !Instant.parse((String) r.get("t1")).isAfter(month.end()))
                    .mapToLong(r -> ((Number) r.get("netTxBytes")).longValue()).sum();
            assertEquals(bytes, recorded, "the rollups add up to the records");
            assertEquals(rollups.size(), trace.getInt("line.rollups"));
            quantity = BigDecimal.valueOf(bytes);
            unitPrice = new BigDecimal(trace.getString("lease.unitEgressGb"));
            perUnit = 1_000_000_000L;
        } else {
            Instant start = max(Instant.parse(trace.getString("lease.start")), month.start());
            Instant end = Instant.parse(trace.getString("lease.end"));
            if (trace.getString("lease.failedAt") != null) {
                end = min(end, Instant.parse(trace.getString("lease.failedAt")));
            }
            end = min(end, month.end());
            Duration billed = Duration.between(start, end);
            BigDecimal seconds = BigDecimal.valueOf(billed.getSeconds()).add(BigDecimal.valueOf(billed.getNano(), 9));
            assertEquals("RESERVED", kind);
            // One line for the whole reservation: its seconds at the hourly price of vCPUs, memory and disk.
            long memoryMib = trace.getLong("lease.memoryMib");
            long diskGib = trace.getLong("lease.diskGib");
            BigDecimal vcpuHour = new BigDecimal(trace.getString("lease.unitVcpuHour"));
            BigDecimal memoryGibHour = new BigDecimal(trace.getString("lease.unitMemoryGibHour"));
            BigDecimal diskGibHour = new BigDecimal(trace.getString("lease.unitDiskGibHour"));
            assertEquals(trace.getInt("lease.vcpus"), trace.getInt("line.reservation.vcpus"));
            assertEquals(memoryMib, trace.getLong("line.reservation.memoryMib"));
            assertEquals(diskGib, trace.getLong("line.reservation.diskGib"));
            assertSameNumber(vcpuHour, new BigDecimal(trace.getString("line.reservation.unitVcpuHour")));
            assertSameNumber(memoryGibHour, new BigDecimal(trace.getString("line.reservation.unitMemoryGibHour")));
            assertSameNumber(diskGibHour, new BigDecimal(trace.getString("line.reservation.unitDiskGibHour")));
            quantity = seconds;
            unitPrice = vcpuHour.multiply(BigDecimal.valueOf(trace.getInt("lease.vcpus")))
                    .add(memoryGibHour.multiply(BigDecimal.valueOf(memoryMib)).divide(BigDecimal.valueOf(1024)))
                    .add(diskGibHour.multiply(BigDecimal.valueOf(diskGib)));
            perUnit = 3600;
        }
        assertEquals(0, quantity.compareTo(new BigDecimal(trace.getString("line.quantity"))), "quantity of " + kind);
        assertEquals(0, unitPrice.compareTo(new BigDecimal(trace.getString("line.unitPrice"))), "unit price of " + kind);
        assertEquals(perUnit, trace.getLong("line.quantityPerUnit"));
        return MinorUnits.round(quantity.multiply(unitPrice), BigDecimal.valueOf(perUnit), currency);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
