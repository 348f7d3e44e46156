package org.xenomarket.market.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.vertx.VertxContextSupport;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.service.InvoiceIntake;

/**
 * Real invoices for the payment tests, and the checks every one of them ends with. An invoice is
 * billing's: one lease of the sponsor on a provider's server, moved into a few hours far in the past
 * that no other run has, invoiced by a real invoice run (which posts it to the ledger), then taken
 * into collection the way production does it ({@link InvoiceIntake}, which the payment sweep runs).
 * The checks read the real journal and billing's reconciliation report.
 */
final class IssuedInvoices {

    /** What a test needs of its invoice; {@code issuedFrom} is just before it was issued. */
    record Issued(PayableInvoice payable, TestAccounts.Member provider, TestAccounts.Member finance,
                  Instant issuedFrom) {

        UUID id() {
            return payable.invoiceId();
        }

        long amount() {
            return payable.amountMinor();
        }

        String currency() {
            return payable.currency();
        }
    }

    private IssuedInvoices() {
    }

    /** An invoice issued to {@code sponsor} for a lease on a new provider's server. */
    static Issued issue(TestAccounts accounts, Sql sql, TestAccounts.Member sponsor) {
        return issue(accounts, sql, sponsor, accounts.provider("Billed Provider"));
    }

    /** An invoice issued to {@code sponsor} for a lease on a new server of {@code provider}. */
    static Issued issue(TestAccounts accounts, Sql sql, TestAccounts.Member sponsor, TestAccounts.Member provider) {
        TestAccounts.Member finance = accounts.create("Payment Finance", "OPERATOR", "finance");
        Instant issuedFrom = Instant.now().minusSeconds(1);
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("10"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
        // Hours no other run has (billing's own fixture months are in 1200..1899); the lease ran them
        // all and is over, so dunning never holds it.
        // Chosen among the hours no stored run covers, so another test's window cannot clash with it.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant start;
        Instant end;
        do {
            start = LocalDate.of(1000 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28))
                    .atStartOfDay().toInstant(ZoneOffset.UTC).plus(random.nextInt(12), ChronoUnit.HOURS);
            end = start.plus(10, ChronoUnit.HOURS);
        } while (sql.number("SELECT count(*) FROM invoice_run WHERE tstzrange(period_start, period_end)"
                + " && tstzrange(?::timestamptz, ?::timestamptz)", start.toString(), end.toString()) > 0);
        try {
            sql.execute("UPDATE lease SET start_at = ?::timestamptz, end_at = ?::timestamptz, state = 'ENDED'"
                    + " WHERE id = ?::uuid", start.toString(), end.toString(), leaseId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        post(finance, "/api/v1/invoices/runs", Map.of("periodStart", start.toString(), "periodEnd", end.toString()))
                .statusCode(201).body("invoices", equalTo(1));
        UUID invoiceId = UUID.fromString(sql.text("SELECT id::text FROM invoice WHERE kind = 'INVOICE'"
                + " AND sponsor_id = ? AND period_start = ?::timestamptz", sponsor.accountId(), start.toString()));
        long amount = sql.number("SELECT total_minor FROM invoice WHERE id = ?", invoiceId);
        String currency = sql.text("SELECT currency FROM invoice WHERE id = ?", invoiceId);
        assertTrue(amount > 0, "the lease is charged for its hours");
        return new Issued(new PayableInvoice(invoiceId, sponsor.accountId(), amount, currency), provider, finance,
                issuedFrom);
    }

    /**
     * Takes the issued invoices into collection as the payment sweep does (each one's first attempt
     * made), until this one is handed over.
     */
    static void handOver(InvoiceIntake intake, Sql sql, Issued invoice) throws Throwable {
        for (int round = 0; round < 20 && handedOver(sql, invoice.id()) == 0; round++) {
            VertxContextSupport.subscribeAndAwait(() -> intake.takeIssued(100));
        }
        assertEquals(1, handedOver(sql, invoice.id()), "billing recorded the hand-over");
        assertEquals(invoice.amount(), sql.number("SELECT amount_minor FROM invoice_payment WHERE invoice_id = ?",
                invoice.id()), "the payment side collects the invoice's total");
    }

    private static long handedOver(Sql sql, UUID invoiceId) {
        return sql.number("SELECT count(*) FROM invoice_handover WHERE invoice_id = ?", invoiceId);
    }

    /** Payment entries in the journal for the invoice. */
    static long paymentEntries(Sql sql, UUID invoiceId) {
        return sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'PAYMENT' AND invoice_id = ?", invoiceId);
    }

    /**
     * The invoice was paid once: exactly one payment entry, under the provider's reference, for the
     * invoice's amount into cash at the provider.
     */
    static void assertPaidOnce(Sql sql, Issued invoice, String reference) {
        assertEquals(1, paymentEntries(sql, invoice.id()), "one payment entry for the invoice");
        assertEquals(1, sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'PAYMENT' AND invoice_id = ?"
                + " AND provider_reference = ?", invoice.id(), reference), "posted under the charge " + reference);
        assertEquals(invoice.amount(), cashFor(sql, invoice.id()), "the invoice's amount reached cash at the provider");
    }

    /** Cash at the provider moved by the invoice's payments, refunds, failed refunds and lost disputes, in minor units. */
    static long cashFor(Sql sql, UUID invoiceId) {
        return sql.number("SELECT coalesce(sum(jl.amount_minor), 0) FROM journal_line jl"
                + " JOIN journal_entry je ON je.id = jl.entry_id WHERE je.invoice_id = ?"
                + " AND jl.account = 'PROVIDER_CASH'", invoiceId);
    }

    /**
     * What every fault run ends with: every journal entry balanced, and billing's reconciliation
     * report over the invoices issued since {@code invoice} lists no difference (invoices = ledger =
     * payment provider), with the invoice's row collected as {@code collectedMinor}.
     */
    static void assertLedgerAndReconciliation(Sql sql, Issued invoice, long collectedMinor) {
        assertEquals(0, sql.number("SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency"
                + " HAVING sum(amount_minor) <> 0) unbalanced"), "every journal entry is balanced");
        List<Map<String, Object>> rows = given().header("Authorization", invoice.finance().bearer())
                .queryParam("from", invoice.issuedFrom().toString())
                .queryParam("to", Instant.now().plusSeconds(60).toString())
                .when().get("/api/v1/reports/reconciliation").then().statusCode(200).extract().path("rows");
        boolean seen = false;
        for (Map<String, Object> row : rows) {
            assertEquals("", row.get("difference"), "no difference in the reconciliation: " + row);
            assertEquals(number(row.get("ledger_collected_minor")), number(row.get("provider_collected_minor")),
                    "the ledger and the payment provider agree: " + row);
            if (invoice.id().toString().equals(row.get("invoice_id"))) {
                seen = true;
                assertEquals(invoice.amount(), number(row.get("invoiced_minor")), "invoiced: " + row);
                assertEquals(invoice.amount(), number(row.get("ledger_minor")), "receivable posted: " + row);
                assertEquals(collectedMinor, number(row.get("ledger_collected_minor")), "collected: " + row);
            }
        }
        assertTrue(seen, "the invoice is in the reconciliation report: " + rows);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
