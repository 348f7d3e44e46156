package org.xenomarket.market.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;
import org.xenomarket.market.payment.service.InvoicePayments;
import org.xenomarket.market.payment.service.PaymentSweep;

/**
 * The real stripe-java client against the stand-in with faults injected between the market and
 * "Stripe": answers that never come (time-outs), connections reset, 5xx. Whatever happens, the
 * sponsor is charged at most once (one idempotency key per attempt reaches Stripe), no payment is
 * lost (a resend finds it), and the ledger holds exactly one entry for the money that arrived.
 * Every invoice is a real one, issued by an invoice run and handed over as production does; every
 * run ends with the journal balanced and the reconciliation report showing no difference.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class InvoicePaymentFaultTest {

    private static final String INTENTS = "/v1/payment_intents";

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoicePayments payments;
    private final PaymentSweep sweep;
    private final InvoiceIntake intake;

    InvoicePaymentFaultTest(TestAccounts accounts, Sql sql, InvoicePayments payments, PaymentSweep sweep,
                            InvoiceIntake intake) {
        this.accounts = accounts;
        this.sql = sql;
        this.payments = payments;
        this.sweep = sweep;
        this.intake = intake;
    }

    @Test
    void aChargeWhoseAnswerTimedOutIsResentWithTheSameKeyAndPaidOnce() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Timed-out Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String key = IdempotencyKeys.paymentAttempt(invoice.id(), 1);
        String intent = StripeJson.newId("pi");
        String succeeded = StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "succeeded", null);
        // Stripe charges, but its answer comes after the client's 1 s read time-out; the client's
        // own retry (same key) gets Stripe's replay of the original answer.
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("charged").willReturn(json(200, succeeded).withFixedDelay(2_500)));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("charged")
                .willReturn(json(200, succeeded)));

        InvoicePayment paid = handOver(invoice);

        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(intent, paid.paidBy);
        assertEquals(2, StripeStandIn.requests(INTENTS, key).size(), "the lost answer and the client's resend");
        assertChargedOnce(invoice, intent);
    }

    @Test
    void aChargeWhoseConnectionWasResetStaysPendingAndTheSweepResendsTheSameKey() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Reset Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String key = IdempotencyKeys.paymentAttempt(invoice.id(), 1);
        String intent = StripeJson.newId("pi");
        String succeeded = StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "succeeded", null);
        // Two connections die before any answer (the charge took place at Stripe): the first
        // request's and the resend the JDK's HTTP client may make by itself; stripe-java does not
        // resend after a reset, so the outcome is unknown and the market must resend.
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("reset-once").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("reset-once")
                .willSetStateTo("charged").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("charged")
                .willReturn(json(200, succeeded)));

        InvoicePayment first = handOver(invoice);
        assertEquals(PaymentState.PENDING, first.state, "the answer is unknown: " + first.lastError);
        assertEquals(1, first.attempt);
        assertEquals(0, first.failures, "a reset is not a decline");
        assertNotNull(first.nextAttemptAt);
        assertEquals(0, IssuedInvoices.paymentEntries(sql, invoice.id()), "nothing is posted before Stripe confirms");
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, 0);

        InvoicePayment paid = sweepUntilSettled(invoice.id());
        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(1, paid.attempt, "a lost answer is not a new attempt");
        assertChargedOnce(invoice, intent);
    }

    @Test
    void aChargeWhoseAnswerAndResendBothTimedOutIsResentByTheSweepAndPaidOnce() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Silent Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String key = IdempotencyKeys.paymentAttempt(invoice.id(), 1);
        String intent = StripeJson.newId("pi");
        String succeeded = StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "succeeded", null);
        // Stripe charged at the first request; both it and the client's own retry answer too late.
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("late").willReturn(json(200, succeeded).withFixedDelay(2_500)));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("late")
                .willSetStateTo("charged").willReturn(json(200, succeeded).withFixedDelay(2_500)));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("charged")
                .willReturn(json(200, succeeded)));

        InvoicePayment first = handOver(invoice);
        assertEquals(PaymentState.PENDING, first.state);
        assertEquals(0, first.failures);

        InvoicePayment paid = sweepUntilSettled(invoice.id());
        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(3, StripeStandIn.requests(INTENTS, key).size(), "two lost answers and the sweep's resend");
        assertChargedOnce(invoice, intent);
    }

    @Test
    void serverErrorsLeaveThePaymentPendingUntilStripeAnswersAndNeverCountAsDeclines() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("5xx Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String key = IdempotencyKeys.paymentAttempt(invoice.id(), 1);
        String intent = StripeJson.newId("pi");
        // two 500s: the first answer and the client's own retry; then Stripe is back
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("one").willReturn(json(500, StripeJson.serverError())));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("one")
                .willSetStateTo("up").willReturn(json(500, StripeJson.serverError())));
        StripeStandIn.server().stubFor(chargeWithKey(key).inScenario(key).whenScenarioStateIs("up")
                .willReturn(json(200, StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(),
                        "succeeded", null))));

        InvoicePayment pending = handOver(invoice);
        assertEquals(PaymentState.PENDING, pending.state);
        assertEquals(0, pending.failures, "a 5xx is not a decline: dunning does not start");
        assertEquals(2, StripeStandIn.requests(INTENTS, key).size());

        InvoicePayment paid = sweepUntilSettled(invoice.id());
        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(3, StripeStandIn.requests(INTENTS, key).size());
        assertChargedOnce(invoice, intent);
    }

    @Test
    void collectingAnInvoiceAgainChangesNothingAndOtherFiguresAreRefused() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Twice Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String key = IdempotencyKeys.paymentAttempt(invoice.id(), 1);
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(key).willReturn(json(200,
                StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "succeeded", null))));

        InvoicePayment paid = handOver(invoice);

        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(1, StripeStandIn.requests(INTENTS, key).size(), "a paid invoice is not charged again");
        assertChargedOnce(invoice, intent);
        assertEquals(PaymentState.SUCCEEDED, collect(invoice.payable()).state, "collecting it again changes nothing");
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
        assertEquals(1, StripeStandIn.requests(INTENTS, key).size(), "a handed-over invoice is not taken again");
        assertChargedOnce(invoice, intent);
        try {
            collect(new PayableInvoice(invoice.id(), sponsor.accountId(), invoice.amount() + 1, invoice.currency()));
            throw new AssertionError("other figures for a collected invoice were accepted");
        } catch (org.xenomarket.market.problem.Conflict expected) {
            assertEquals("invoiceId", expected.errors().get(0).field());
        }
    }

    /** Hands the issued invoice over as the payment sweep does; its first attempt is made. */
    private InvoicePayment handOver(Issued invoice) throws Throwable {
        IssuedInvoices.handOver(intake, sql, invoice);
        return stored(invoice.id());
    }

    private InvoicePayment collect(PayableInvoice invoice) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> payments.collect(invoice));
    }

    private InvoicePayment stored(UUID invoiceId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> payments.get(null, invoiceId));
    }

    /** Makes the payment due and sweeps, until it is no longer PENDING (a few rounds at most). */
    private InvoicePayment sweepUntilSettled(UUID invoiceId) throws Throwable {
        InvoicePayment payment = stored(invoiceId);
        for (int round = 0; round < 4 && payment.state == PaymentState.PENDING; round++) {
            makeDue(invoiceId);
            VertxContextSupport.subscribeAndAwait(sweep::sweep);
            payment = stored(invoiceId);
        }
        return payment;
    }

    private void makeDue(UUID invoiceId) throws SQLException {
        sql.execute("UPDATE invoice_payment SET next_attempt_at = now() - interval '1 second' WHERE invoice_id = ?",
                invoiceId);
    }

    /**
     * One key reached Stripe for the invoice, the ledger holds its amount once, under that charge,
     * every entry is balanced and the reconciliation report agrees.
     */
    private void assertChargedOnce(Issued invoice, String intent) {
        Set<String> keys = StripeStandIn.keys(INTENTS, invoice.id().toString());
        assertEquals(Set.of(IdempotencyKeys.paymentAttempt(invoice.id(), 1)), keys,
                "every request for the invoice carried the first attempt's key");
        IssuedInvoices.assertPaidOnce(sql, invoice, intent);
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, invoice.amount());
        assertEquals(1, sql.number("SELECT count(*) FROM invoice_payment WHERE invoice_id = ? AND state = 'SUCCEEDED'"
                + " AND paid_by = ?", invoice.id(), intent));
    }
}
