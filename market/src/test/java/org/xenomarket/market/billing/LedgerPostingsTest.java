package org.xenomarket.market.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;

/** The contract the payment side calls: balanced, idempotent per provider reference, refusing bad input. */
@QuarkusTest
class LedgerPostingsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestAccounts accounts;
    private final Sql sql;
    private final LedgerPostings ledger;

    LedgerPostingsTest(TestAccounts accounts, Sql sql, LedgerPostings ledger) {
        this.accounts = accounts;
        this.sql = sql;
        this.ledger = ledger;
    }

    @Test
    void paymentsRefundsAndPayoutsPostOnceEachAndSettleTheBalances() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        MarketApi.post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().toString(),
                "periodEnd", month.end().toString())).statusCode(201);
        UUID invoiceId = UUID.fromString(sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND kind = 'INVOICE'",
                month.sponsorA().accountId()));
        long total = sql.number("SELECT total_minor FROM invoice WHERE id = ?", invoiceId);
        String reference = "pi_" + UUID.randomUUID();

        ledger.paymentReceived(invoiceId, total, "EUR", reference).await().atMost(WAIT);
        ledger.paymentReceived(invoiceId, total, "EUR", reference).await().atMost(WAIT);
        assertEquals(1, sql.number("SELECT count(*) FROM journal_entry WHERE provider_reference = ?", reference));
        assertEquals(0, receivable(month.sponsorA()));

        InvalidInput tooMuch = assertThrows(InvalidInput.class, () -> ledger.refundIssued(invoiceId, total + 1, "EUR",
                "re_" + UUID.randomUUID()).await().atMost(WAIT));
        assertEquals("amountMinor", tooMuch.errors().get(0).field());
        String refund = "re_" + UUID.randomUUID();
        ledger.refundIssued(invoiceId, 100, "EUR", refund).await().atMost(WAIT);
        ledger.refundIssued(invoiceId, 100, "EUR", refund).await().atMost(WAIT);
        assertEquals(100, receivable(month.sponsorA()));

        long payable = -sql.number("SELECT sum(amount_minor) FROM journal_line WHERE account = 'PROVIDER_PAYABLE'"
                + " AND party_id = ?", month.provider().accountId());
        String payout = "tr_" + UUID.randomUUID();
        ledger.payoutMade(month.provider().accountId(), payable, "EUR", payout).await().atMost(WAIT);
        ledger.payoutMade(month.provider().accountId(), payable, "EUR", payout).await().atMost(WAIT);
        assertEquals(0, sql.number("SELECT sum(amount_minor) FROM journal_line WHERE account = 'PROVIDER_PAYABLE'"
                + " AND party_id = ?", month.provider().accountId()));
        // Each posting audited once; the replays were not postings.
        assertEquals(2, sql.number("SELECT count(*) FROM audit_event WHERE action IN ('ledger.payment', 'ledger.refund')"
                + " AND object_id = ?", invoiceId.toString()));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'ledger.payout' AND object_id = ?",
                month.provider().accountId().toString()));
        assertEquals(0, sql.number("SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency"
                + " HAVING sum(amount_minor) <> 0) off"));
    }

    @Test
    void badPostingsAreRefusedNamingTheFieldAndChangeNothing() {
        BilledMonth month = BilledMonth.create(accounts, sql);
        MarketApi.post(month.finance(), "/api/v1/invoices/runs", Map.of("periodStart", month.start().toString(),
                "periodEnd", month.end().toString())).statusCode(201);
        UUID invoiceId = UUID.fromString(sql.text("SELECT id FROM invoice WHERE sponsor_id = ? AND kind = 'INVOICE'",
                month.sponsorB().accountId()));
        long entries = sql.number("SELECT count(*) FROM journal_entry");
        assertEquals("currency", field(() -> ledger.paymentReceived(invoiceId, 100, "USD", "pi_" + UUID.randomUUID())
                .await().atMost(WAIT)));
        assertEquals("amountMinor", field(() -> ledger.paymentReceived(invoiceId, -5, "EUR", "pi_" + UUID.randomUUID())
                .await().atMost(WAIT)));
        assertEquals("providerReference", field(() -> ledger.paymentReceived(invoiceId, 5, "EUR", " ")
                .await().atMost(WAIT)));
        assertEquals("amountMinor", field(() -> ledger.refundIssued(invoiceId, 1, "EUR", "re_" + UUID.randomUUID())
                .await().atMost(WAIT)));
        assertInstanceOf(NotFound.class, assertThrows(RuntimeException.class, () -> ledger.paymentReceived(
                UUID.randomUUID(), 5, "EUR", "pi_" + UUID.randomUUID()).await().atMost(WAIT)));
        assertInstanceOf(NotFound.class, assertThrows(RuntimeException.class, () -> ledger.payoutMade(
                month.sponsorA().accountId(), 5, "EUR", "tr_" + UUID.randomUUID()).await().atMost(WAIT)));
        assertEquals(entries, sql.number("SELECT count(*) FROM journal_entry"));
    }

    private long receivable(TestAccounts.Member sponsor) {
        return sql.number("SELECT coalesce(sum(amount_minor), 0) FROM journal_line WHERE account = 'SPONSOR_RECEIVABLE'"
                + " AND party_id = ?", sponsor.accountId());
    }

    private static String field(Runnable call) {
        return assertThrows(InvalidInput.class, call::run).errors().get(0).field();
    }
}
