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
import org.xenomarket.market.payment.service.InvoicePayments;

/**
 * Stripe's webhooks, signed by the test with the endpoint secret as Stripe signs them: verified,
 * refused and audited when the signature or its time is wrong, handled once however often they
 * come, and in any order without a stale event undoing a later state.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class StripeWebhookTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoicePayments payments;
    private final RecordingLedger ledger;

    StripeWebhookTest(TestAccounts accounts, Sql sql, InvoicePayments payments, RecordingLedger ledger) {
        this.accounts = accounts;
        this.sql = sql;
        this.payments = payments;
        this.ledger = ledger;
    }

    @Test
    void duplicatedAndLateEventsChangeNothingOnceAnInvoiceIsPaid() throws Throwable {
        Charged charged = processingCharge("Webhook Sponsor", 2_500);
        String intentJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId, 1, 2_500, "EUR", "succeeded", null);
        String failedJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId, 1, 2_500, "EUR",
                "requires_payment_method", "Your card was declined.");
        String processingJson = StripeJson.paymentIntent(charged.intent, charged.invoiceId, 1, 2_500, "EUR", "processing", null);
        String succeeded = StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", intentJson);

        deliver(succeeded).statusCode(200).body("outcome", equalTo("HANDLED"));
        deliver(succeeded).statusCode(200).body("outcome", equalTo("DUPLICATE"));
        // the same news in another event, then news that is older than the success
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", intentJson)).statusCode(200);
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.payment_failed", failedJson)).statusCode(200);
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.processing", processingJson)).statusCode(200);

        InvoicePayment payment = stored(charged.invoiceId);
        assertEquals(PaymentState.SUCCEEDED, payment.state);
        assertEquals(0, payment.failures, "a failure reported after the success is not counted");
        assertNull(payment.nextAttemptAt);
        assertEquals(1, ledger.about(charged.invoiceId).size(), "posted once: " + ledger.about(charged.invoiceId));
        assertEquals(2_500, ledger.about(charged.invoiceId).get(0).lines().get(0).amountMinor());
    }

    @Test
    void aSuccessArrivingAfterAFailureOfTheSameAttemptIsPaidAndStopsTheRetries() throws Throwable {
        Charged charged = processingCharge("Reordered Sponsor", 1_200);
        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.payment_failed", StripeJson.paymentIntent(
                charged.intent, charged.invoiceId, 1, 1_200, "EUR", "requires_payment_method", "Do not honor.")))
                .statusCode(200);
        InvoicePayment failed = stored(charged.invoiceId);
        assertEquals(PaymentState.FAILED, failed.state);
        assertEquals(1, failed.failures);

        deliver(StripeJson.event(StripeJson.newId("evt"), "payment_intent.succeeded", StripeJson.paymentIntent(
                charged.intent, charged.invoiceId, 1, 1_200, "EUR", "succeeded", null))).statusCode(200);

        InvoicePayment paid = stored(charged.invoiceId);
        assertEquals(PaymentState.SUCCEEDED, paid.state, "money that arrived is never written off");
        assertNull(paid.nextAttemptAt, "no retry is left scheduled");
        assertEquals(1, ledger.about(charged.invoiceId).size());
    }

    @Test
    void aSuccessWebhookThatOvertakesStripesAnswerIsPostedOnceWhenTheAnswerArrives() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Overtaken Sponsor");
        PaymentFixtures.savedCard(sponsor);
        UUID invoiceId = TimeOrderedId.next();
        String intent = StripeJson.newId("pi");
        String succeeded = StripeJson.paymentIntent(intent, invoiceId, 1, 880, "EUR", "succeeded", null);
        // Stripe's answer takes 600 ms (within the 1 s time-out); its webhook comes meanwhile
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, 1))
                .willReturn(json(200, succeeded).withFixedDelay(600)));
        java.util.concurrent.CompletableFuture<InvoicePayment> charging = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return VertxContextSupport.subscribeAndAwait(() ->
                                payments.collect(new PayableInvoice(invoiceId, sponsor.accountId(), 880, "EUR")));
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
        assertEquals(1, ledger.about(invoiceId).size(), "posted once: " + ledger.about(invoiceId));
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

    private record Charged(UUID invoiceId, String intent) {
    }

    /** An invoice whose charge Stripe answered "processing": the webhooks tell the rest. */
    private Charged processingCharge(String name, long amount) throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor(name);
        PaymentFixtures.savedCard(sponsor);
        UUID invoiceId = TimeOrderedId.next();
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, 1)).willReturn(json(200,
                StripeJson.paymentIntent(intent, invoiceId, 1, amount, "EUR", "processing", null))));
        InvoicePayment processing = VertxContextSupport.subscribeAndAwait(() ->
                payments.collect(new PayableInvoice(invoiceId, sponsor.accountId(), amount, "EUR")));
        assertEquals(PaymentState.PROCESSING, processing.state);
        return new Charged(invoiceId, intent);
    }

    private InvoicePayment stored(UUID invoiceId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> payments.get(null, invoiceId));
    }
}
