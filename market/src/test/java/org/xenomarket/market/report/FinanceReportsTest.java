package org.xenomarket.market.report;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.billing.BilledMonthFixture;
import org.xenomarket.market.ledger.service.LedgerPostings;

@QuarkusTest
class FinanceReportsTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final LedgerPostings ledger;

    FinanceReportsTest(TestAccounts accounts, Sql sql, LedgerPostings ledger) {
        this.accounts = accounts;
        this.sql = sql;
        this.ledger = ledger;
    }

    @Test
    void revenueReconciliationAndPayoutsAgreeWithTheInvoicesAndTheLedger() {
        BilledMonthFixture.Month month = BilledMonthFixture.invoicedMonth(accounts, sql);
        String from = month.start().toString();
        String to = month.end().toString();
        long billed = sql.number("SELECT sum(total_minor) FROM invoice WHERE period_start = ?::timestamptz", from);

        List<Map<String, Object>> bySponsor = get(month.finance(), "/api/v1/reports/revenue?by=sponsor&from=" + from
                + "&to=" + to).statusCode(200).extract().jsonPath().getList("rows");
        assertEquals(billed, bySponsor.stream().mapToLong(r -> ((Number) r.get("billed_minor")).longValue()).sum());
        assertEquals(2, bySponsor.size());
        get(month.finance(), "/api/v1/reports/revenue?by=region&from=" + from + "&to=" + to).statusCode(200)
                .body("rows.key", hasItem("eu-west"));

        UUID invoiceId = UUID.fromString(sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND kind = 'INVOICE'",
                month.sponsorA()));
        long total = sql.number("SELECT total_minor FROM invoice WHERE id = ?", invoiceId);
        // Posted straight to the ledger, past the payment side: the payment provider never saw this
        // money, and the reconciliation must say so (the payment tests reconcile real collections).
        ledger.paymentReceived(invoiceId, total, "EUR", "pi_" + UUID.randomUUID()).await().indefinitely();

        String issued = "from=1900-01-01T00:00:00Z&to=2999-01-01T00:00:00Z";
        List<Map<String, Object>> rows = get(month.finance(), "/api/v1/reports/reconciliation?" + issued)
                .statusCode(200).extract().jsonPath().getList("rows");
        Map<String, Object> row = rows.stream().filter(r -> r.get("invoice_id").equals(invoiceId.toString()))
                .findFirst().orElseThrow();
        assertEquals(total, ((Number) row.get("invoiced_minor")).longValue());
        assertEquals(total, ((Number) row.get("ledger_minor")).longValue());
        assertEquals(total, ((Number) row.get("ledger_collected_minor")).longValue());
        assertEquals(0L, ((Number) row.get("provider_collected_minor")).longValue());
        assertEquals("ledger's collected differs from the payment provider's", row.get("difference"));
        assertTrue(rows.stream().noneMatch(r -> ((String) r.get("difference")).contains("invoice total")),
                "every invoice equals the ledger");

        String csv = RestAssured.given().header("Authorization", month.finance().bearer()).accept("text/csv")
                .get("/api/v1/reports/reconciliation?" + issued).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertTrue(csv.startsWith("invoice_id,sponsor_id,currency,invoiced_minor,ledger_minor,ledger_collected_minor,"
                + "provider_collected_minor,difference\r\n"), csv.lines().findFirst().orElse(""));
        assertTrue(csv.contains(invoiceId + "," + month.sponsorA() + ",EUR," + total + "," + total + "," + total + ",0,"),
                csv);

        long payable = -sql.number("SELECT sum(amount_minor) FROM journal_line WHERE account = 'PROVIDER_PAYABLE'"
                + " AND party_id = ?", month.provider().accountId());
        get(month.provider(), "/api/v1/reports/payouts").statusCode(200)
                .body("rows[0].provider_id", equalTo(month.provider().accountId().toString()))
                .body("rows[0].due_minor", equalTo((int) payable)).body("rows.size()", equalTo(1));
        get(month.finance(), "/api/v1/reports/receivables-ageing").statusCode(200);
        get(month.finance(), "/api/v1/reports/utilisation?from=" + from + "&to=" + month.start().plusSeconds(86400))
                .statusCode(200);
    }

    @Test
    void badReportRequestsNameTheFieldAndOnlyFinanceSeesThem() {
        TestAccounts.Member finance = accounts.create("Report Finance", "OPERATOR", "finance");
        get(finance, "/api/v1/reports/revenue?by=planet&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")
                .statusCode(400).body("errors.field", hasItem("by"));
        get(finance, "/api/v1/reports/revenue?from=yesterday&to=2026-02-01T00:00:00Z").statusCode(400)
                .body("errors.field", hasItem("from"));
        get(finance, "/api/v1/reports/utilisation?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").statusCode(400)
                .body("errors.field", hasItem("to"));
        get(accounts.sponsor("Curious Sponsor"), "/api/v1/reports/payouts").statusCode(403);
        get(accounts.provider("Curious Provider"), "/api/v1/reports/revenue?from=2026-01-01T00:00:00Z"
                + "&to=2026-02-01T00:00:00Z").statusCode(403);
    }
}
