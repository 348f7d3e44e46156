package org.xenomarket.market.billing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** Bad invoice runs and credits: 4xx problem JSON naming the field, and nothing stored. */
@QuarkusTest
class BillingBadInputTest {

    private final TestAccounts accounts;
    private final Sql sql;

    BillingBadInputTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void badPeriodsAreRefusedNamingTheField() {
        TestAccounts.Member finance = accounts.create("Bad Period Finance", "OPERATOR", "finance");
        long runs = sql.number("SELECT count(*) FROM invoice_run");
        refused(post(finance, "/api/v1/invoices/runs", Map.of()), 400, "periodStart");
        refused(post(finance, "/api/v1/invoices/runs", Map.of("periodStart", "1990-01-01T00:30:00Z")), 400,
                "periodStart");
        refused(post(finance, "/api/v1/invoices/runs", Map.of("periodStart", "1990-01-01T00:00:00Z",
                "periodEnd", "1989-12-01T00:00:00Z")), 400, "periodEnd");
        Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        refused(post(finance, "/api/v1/invoices/runs", Map.of("periodStart", thisHour.toString(),
                "periodEnd", thisHour.plus(2, ChronoUnit.HOURS).toString())), 400, "periodEnd");
        refused(post(finance, "/api/v1/invoices/runs", Map.of("periodStart", "not a time")), 400, "periodStart");
        assertEquals(runs, sql.number("SELECT count(*) FROM invoice_run"));
    }

    @Test
    void badCreditsAreRefusedNamingTheFieldAndGoodOnesPointAtTheirLine() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().toString(),
                "periodEnd", month.end().toString())).statusCode(201);
        String invoiceId = sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND kind = 'INVOICE'",
                month.sponsorA().accountId());
        long lineAmount = sql.number("SELECT amount_minor FROM invoice_line WHERE invoice_id = ?::uuid AND line_no = 1",
                invoiceId);
        String credits = "/api/v1/invoices/" + invoiceId + "/lines/1/credits";
        long notes = sql.number("SELECT count(*) FROM invoice");
        long entries = sql.number("SELECT count(*) FROM journal_entry");

        refused(post(month.finance(), credits, Map.of("amount", "1.00", "currency", "USD", "reason", "x")), 400,
                "currency");
        refused(post(month.finance(), credits, Map.of("amount", "-1.00", "currency", "EUR", "reason", "x")), 400,
                "amount");
        refused(post(month.finance(), credits, Map.of("amount", "0.001", "currency", "EUR", "reason", "x")), 400,
                "amount");
        refused(post(month.finance(), credits, Map.of("amount", "1.00", "currency", "EUR")), 400, "reason");
        // Short, but its exponent made the conversion to minor units throw (a 500); plain decimals only now.
        refused(post(month.finance(), credits, Map.of("amount", "1e999999999", "currency", "EUR", "reason", "x")), 400,
                "amount");
        refused(post(month.finance(), credits, Map.of("amount", "1".repeat(41), "currency", "EUR", "reason", "x")), 400,
                "amount");
        String tooMuch = java.math.BigDecimal.valueOf(lineAmount + 1, 2).toPlainString();
        refused(post(month.finance(), credits, Map.of("amount", tooMuch, "currency", "EUR", "reason", "x")), 400,
                "amount");
        post(month.finance(), "/api/v1/invoices/" + java.util.UUID.randomUUID() + "/lines/1/credits",
                Map.of("amount", "1.00", "currency", "EUR", "reason", "x")).statusCode(404);
        post(month.finance(), "/api/v1/invoices/" + invoiceId + "/lines/999/credits",
                Map.of("amount", "0.01", "currency", "EUR", "reason", "x")).statusCode(404);
        post(month.sponsorA(), credits, Map.of("amount", "0.01", "currency", "EUR", "reason", "x")).statusCode(403);
        assertEquals(notes, sql.number("SELECT count(*) FROM invoice"));
        assertEquals(entries, sql.number("SELECT count(*) FROM journal_entry"));

        String creditNote = post(month.finance(), credits, Map.of("amount", "0.01", "currency", "EUR",
                "reason", "an hour of downtime")).statusCode(201).body("kind", equalTo("CREDIT_NOTE"))
                .body("totalMinor", equalTo(-1)).body("correctsInvoiceId", equalTo(invoiceId)).extract().path("id");
        MarketApiLines.creditLine(month.sponsorA(), creditNote).body("correctsInvoiceId", equalTo(invoiceId))
                .body("correctsLineNo", equalTo(1)).body("amountMinor", equalTo(-1));
        // The invoice itself is untouched; the credit note's entry balances.
        assertEquals(lineAmount, sql.number("SELECT amount_minor FROM invoice_line WHERE invoice_id = ?::uuid"
                + " AND line_no = 1", invoiceId));
        assertEquals(0, sql.number("SELECT sum(jl.amount_minor) FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.invoice_id = ?::uuid", creditNote));
        assertEquals(-1, sql.number("SELECT sum(jl.amount_minor) FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.invoice_id = ?::uuid AND jl.account = 'SPONSOR_RECEIVABLE'",
                creditNote));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'invoice.credited'"
                + " AND object_id = ?", invoiceId + "/1"));
    }

    private static void refused(ValidatableResponse response, int status, String field) {
        response.statusCode(status).contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("detail", containsString(field));
    }

    /** Reads a credit note's single line. */
    static final class MarketApiLines {

        static ValidatableResponse creditLine(TestAccounts.Member who, String creditNoteId) {
            return org.xenomarket.market.MarketApi.get(who, "/api/v1/invoices/" + creditNoteId).statusCode(200)
                    .rootPath("lines[0]");
        }
    }
}
