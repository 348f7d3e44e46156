package org.xenomarket.market.payment;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.deliver;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;
import org.xenomarket.market.payment.service.InvoicePayments;

/**
 * Stripe's webhooks, signed by the test with the endpoint secret as Stripe signs them: verified,
 * refused and audited when the signature or its time is wrong, handled once however often they
 * come, and in any order without a stale event undoing a later state. The invoices are real ones
 * (issued by an invoice run, handed over as production does); the journal and the reconciliation
 * report are checked after each run.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class StripeWebhookTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoicePayments payments;
    private final InvoiceIntake intake;

    StripeWebhookTest(TestAccounts accounts, Sql sql, InvoicePayments payments, InvoiceIntake intake) {
        this.accounts = accounts;
        this.sql = sql;
        this.payments = payments;
        this.intake = intake;
    }

    @Test
    void duplicatedAndLateEventsChangeNothingOnceAnInvoiceIsPaid() throws Throwable {
        Charged charged = processingCharge("Webhook Sponsor");
        long amount = charged.invoice.amount();
        String currency = charged.invoice.currency();
        String intentJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId(), 1, amount, currency, "succeeded", null);
        String failedJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId(), 1, amount, currency,
                "requires_payment_method", "Your card was declined.");
        String processingJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId(), 1, amount, currency, "processing", null);
        String succeeded = StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", intentJson);

        deliver(succeeded).statusCode(200).body("outcome", equalTo("HANDLED"));
        deliver(succeeded).statusCode(200).body("outcome", equalTo("DUPLICATE"));
        // the same news in another event, then news that is older than the success
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", intentJson)).statusCode(200);
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.payment_failed", failedJson)).statusCode(200);
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.processing", processingJson)).statusCode(200);

        InvoicePayment payment = stored(charged.invoiceId());
        assertEquals(PaymentState.SUCCEEDED, payment.state);
        assertEquals(0, payment.failures, "a failure reported after the success is not counted");
        assertNull(payment.nextAttemptAt);
        IssuedInvoices.assertPaidOnce(sql, charged.invoice, charged.intent);
        IssuedInvoices.assertLedgerAndReconciliation(sql, charged.invoice, amount);
    }

    @Test
    void aSuccessArrivingAfterAFailureOfTheSameAttemptIsPaidAndStopsTheRetries() throws Throwable {
        Charged charged = processingCharge("Reordered Sponsor");
        long amount = charged.invoice.amount();
        String currency = charged.invoice.currency();
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.payment_failed", StripeJson.paymentIntent(
                charged.intent, charged.invoiceId(), 1, amount, currency, "requires_payment_method", "Do not honor.")))
                .statusCode(200);
        InvoicePayment failed = stored(charged.invoiceId());
        assertEquals(0, IssuedInvoices.paymentEntries(sql, charged.invoiceId()), "a failure posts nothing");
        IssuedInvoices.assertLedgerAndReconciliation(sql, charged.invoice, 0);
        assertEquals(PaymentState.FAILED, failed.state);
        assertEquals(1, failed.failures);

        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", StripeJson.paymentIntent(
                charged.intent, charged.invoiceId(), 1, amount, currency, "succeeded", null))).statusCode(200);

        InvoicePayment paid = stored(charged.invoiceId());
        assertEquals(PaymentState.SUCCEEDED, paid.state, "money that arrived is never written off");
        assertNull(paid.nextAttemptAt, "no retry is left scheduled");
        IssuedInvoices.assertPaidOnce(sql, charged.invoice, charged.intent);
        IssuedInvoices.assertLedgerAndReconciliation(sql, charged.invoice, amount);
    }

    @Test
    void aSuccessWebhookThatOvertakesStripesAnswerIsPostedOnceWhenTheAnswerArrives() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Overtaken Sponsor");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        UUID invoiceId = invoice.id();
        String intent = StripeJson.newId("pi");
        String succeeded = StripeJson.paymentIntent(intent, invoiceId, 1, invoice.amount(), invoice.currency(),
                "succeeded", null);
        // Stripe's answer takes 600 ms (within the 1 s time-out); its webhook comes meanwhile
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, 1))
                .willReturn(json(200, succeeded).withFixedDelay(600)));
        java.util.concurrent.CompletableFuture<InvoicePayment> charging = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        IssuedInvoices.handOver(intake, sql, invoice);
                        return stored(invoiceId);
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                });
        long deadline = System.currentTimeMillis() + 5_000;
        while (sql.number("SELECT count(*) FROM invoice_payment WHERE invoice_id = ?", invoiceId) == 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", succeeded)).statusCode(200)
                .body("outcome", equalTo("HANDLED"));

        InvoicePayment answered = charging.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(PaymentState.SUCCEEDED, answered.state);
        assertEquals(intent, answered.paidBy);
        IssuedInvoices.assertPaidOnce(sql, invoice, intent);
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, invoice.amount());
    }

    @Test
    void aBadSignatureOrAStaleTimestampIsRefusedAndAudited() {
        String event = StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", StripeJson.paymentIntent(
                StripeJson.newId("pi"), TimeOrderedId.next(), 1, 100, "EUR", "succeeded", null));
        long now = System.currentTimeMillis() / 1000;
        long refusedBefore = refusals();

        // a payload changed after signing
        deliver(event.replace("\"amount\": 100", "\"amount\": 1"), WebhookSigner.signNow(event)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/webhook-signature-invalid"))
                .body("errors[0].field", equalTo("Stripe-Signature"));
        // another endpoint's secret
        deliver(event, WebhookSigner.sign(event, now, "whsec_someone_else")).statusCode(400);
        // signed 301 s ago: outside the default 300 s tolerance
        deliver(event, WebhookSigner.sign(event, now - 301, WebhookSigner.SECRET)).statusCode(400);
        // no signature at all
        io.restassured.RestAssured.given().contentType("application/json").body(event)
                .when().post(PaymentFixtures.WEBHOOK).then().statusCode(400);

        assertEquals(refusedBefore + 4, refusals(), "every refusal is in the audit log");
        assertEquals(0, sql.number("SELECT count(*) FROM stripe_event WHERE id = ?", eventId(event)),
                "a refused event is not recorded as handled");
        // the same event, signed 200 s ago, is within the tolerance
        deliver(event, WebhookSigner.sign(event, now - 200, WebhookSigner.SECRET)).statusCode(200)
                .body("outcome", equalTo("IGNORED"));
    }

    private long refusals() {
        return sql.number("SELECT count(*) FROM audit_event WHERE action = 'payment.webhook.refused'");
    }

    private static String eventId(String event) {
        return event.substring(event.indexOf("\"evt_") + 1, event.indexOf('"', event.indexOf("\"evt_") + 1));
    }

    private record Charged(Issued invoice, String intent) {

        UUID invoiceId() {
            return invoice.id();
        }
    }

    /** A real invoice, handed over, whose charge Stripe answered "processing": the webhooks tell the rest. */
    private Charged processingCharge(String name) throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor(name);
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoice.id(), 1)).willReturn(json(200,
                StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(), "processing",
                        null))));
        IssuedInvoices.handOver(intake, sql, invoice);
        InvoicePayment processing = stored(invoice.id());
        assertEquals(PaymentState.PROCESSING, processing.state);
        assertEquals(0, IssuedInvoices.paymentEntries(sql, invoice.id()), "nothing is posted before Stripe confirms");
        return new Charged(invoice, intent);
    }

    private InvoicePayment stored(UUID invoiceId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> payments.get(null, invoiceId));
    }
}
