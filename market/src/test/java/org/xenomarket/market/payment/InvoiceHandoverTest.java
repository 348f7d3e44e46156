package org.xenomarket.market.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;

/**
 * How billing's invoices reach the payment side: a credit note issued before the hand-over lowers
 * what is collected; an invoice credited in full is handed over with nothing to collect and no call
 * to Stripe; and an invoice is handed over once, however often the sweep runs.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class InvoiceHandoverTest {

    private static final String INTENTS = "/v1/payment_intents";

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoiceIntake intake;

    InvoiceHandoverTest(TestAccounts accounts, Sql sql, InvoiceIntake intake) {
        this.accounts = accounts;
        this.sql = sql;
        this.intake = intake;
    }

    @Test
    void aCreditNoteIssuedBeforeTheHandOverLowersWhatIsCollected() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Credited Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued issued = IssuedInvoices.issue(accounts, sql, sponsor);
        credit(issued, 1, 1);
        Issued invoice = new Issued(new PayableInvoice(issued.id(), sponsor.accountId(), issued.amount() - 1,
                issued.currency()), issued.provider(), issued.finance(), issued.issuedFrom());
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoice.id(), 1)).willReturn(json(200,
                StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "succeeded",
                        null))));

        IssuedInvoices.handOver(intake, sql, invoice);
        VertxContextSupport.subscribeAndAwait(() -> intake.takeIssued(100));

        assertEquals(1, sql.number("SELECT count(*) FROM invoice_handover WHERE invoice_id = ? AND amount_minor = ?",
                invoice.id(), invoice.amount()), "handed over once, for the total less the credit");
        assertEquals(1, StripeStandIn.keys(INTENTS, invoice.id().toString()).size(), "charged once");
        IssuedInvoices.assertPaidOnce(sql, invoice, intent);
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, invoice.amount());
    }

    @Test
    void anInvoiceCreditedInFullIsHandedOverWithNothingToCollect() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Fully Credited Sponsor");
        Issued issued = IssuedInvoices.issue(accounts, sql, sponsor);
        long lines = sql.number("SELECT count(*) FROM invoice_line WHERE invoice_id = ?", issued.id());
        for (int line = 1; line <= lines; line++) {
            long amount = sql.number("SELECT amount_minor FROM invoice_line WHERE invoice_id = ? AND line_no = ?",
                    issued.id(), line);
            if (amount > 0) {
                credit(issued, line, amount);
            }
        }
        assertEquals(0, sql.number("SELECT sum(total_minor) FROM invoice WHERE id = ? OR corrects_id = ?",
                issued.id(), issued.id()), "credited in full");

        for (int round = 0; round < 20 && handedOver(issued) == 0; round++) {
            VertxContextSupport.subscribeAndAwait(() -> intake.takeIssued(100));
        }

        assertEquals(1, sql.number("SELECT count(*) FROM invoice_handover WHERE invoice_id = ? AND amount_minor = 0",
                issued.id()));
        assertEquals(0, sql.number("SELECT count(*) FROM invoice_payment WHERE invoice_id = ?", issued.id()),
                "nothing to collect");
        assertEquals(0, StripeStandIn.keys(INTENTS, issued.id().toString()).size(), "no call to Stripe");
        assertEquals(0, IssuedInvoices.paymentEntries(sql, issued.id()));
    }

    private long handedOver(Issued invoice) {
        return sql.number("SELECT count(*) FROM invoice_handover WHERE invoice_id = ?", invoice.id());
    }

    /** A credit note of {@code minor} minor units against line {@code line}, as finance issues one. */
    private void credit(Issued invoice, int line, long minor) {
        String amount = BigDecimal.valueOf(minor, Currency.getInstance(invoice.currency()).getDefaultFractionDigits())
                .toPlainString();
        post(invoice.finance(), "/api/v1/invoices/" + invoice.id() + "/lines/" + line + "/credits",
                Map.of("amount", amount, "currency", invoice.currency(), "reason", "test credit")).statusCode(201);
    }
}
