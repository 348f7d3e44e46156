package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;
import org.xenomarket.market.payment.service.InvoicePayments;
import org.xenomarket.market.report.PaymentProviderTotals;

/**
 * Refunds: part of a paid invoice goes back through a Stripe Refund and one ledger entry; more than
 * is left to refund, or a refund of an unpaid invoice, is refused naming the field, and changes
 * nothing.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class RefundTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoicePayments payments;
    private final InvoiceIntake intake;
    private final PaymentProviderTotals collections;

    RefundTest(TestAccounts accounts, Sql sql, InvoicePayments payments, InvoiceIntake intake,
               PaymentProviderTotals collections) {
        this.collections = collections;
        this.accounts = accounts;
        this.sql = sql;
        this.payments = payments;
        this.intake = intake;
    }

    @Test
    void partOfAPaidInvoiceIsRefundedOnceAndNeverMoreThanWasPaid() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Refunded Sponsor");
        TestAccounts.Member finance = accounts.create("Finance", "OPERATOR", "finance");
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        UUID invoiceId = invoice.id();
        long paid = invoice.amount();
        long refunded = Math.max(1, paid / 3);
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, 1)).willReturn(json(200,
                StripeJson.paymentIntent(intent, invoiceId, 1, paid, invoice.currency(), "succeeded", null))));
        IssuedInvoices.handOver(intake, sql, invoice);
        IssuedInvoices.assertPaidOnce(sql, invoice, intent);
        String refundId = StripeJson.newId("re");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/refunds")).withRequestBody(containing("payment_intent=" + intent))
                .willReturn(json(200, """
                        {"id": "%s", "object": "refund", "amount": %d, "currency": "%s", "payment_intent": "%s",
                         "status": "succeeded", "created": 1764800000, "metadata": {}}""".formatted(refundId, refunded,
                        invoice.currency().toLowerCase(), intent))));
        String path = "/api/v1/payments/invoices/" + invoiceId + "/refunds";

        refund(finance, path, "r1", refunded).statusCode(201).body("state", equalTo("SUCCEEDED"))
                .body("stripeRefundId", equalTo(refundId));
        refund(finance, path, "r1", refunded).statusCode(200).body("stripeRefundId", equalTo(refundId));
        refund(finance, path, "r2", paid - refunded + 1).statusCode(409).body("errors[0].field", equalTo("amountMinor"))
                .body("detail", org.hamcrest.Matchers.containsString((paid - refunded) + " is left"));
        refund(finance, path, "r3", 0).statusCode(400).body("errors[0].field", equalTo("amountMinor"));
        refund(sponsor, path, "r4", 10).statusCode(403);

        assertEquals(1, StripeStandIn.keys("/v1/refunds", "payment_intent=" + intent).size(), "one refund at Stripe");
        assertEquals(1, sql.number("SELECT count(*) FROM payment_refund WHERE invoice_id = ?", invoiceId));
        assertEquals(1, sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'REFUND' AND invoice_id = ?"
                + " AND provider_reference = ?", invoiceId, refundId), "one refund entry, under Stripe's refund");
        assertEquals(1, IssuedInvoices.paymentEntries(sql, invoiceId), "still one payment entry");
        assertEquals(paid - refunded, IssuedInvoices.cashFor(sql, invoiceId), "paid less refunded");
        UUID neverPaid = TimeOrderedId.next();
        assertEquals(Map.of(invoiceId, paid - refunded), VertxContextSupport.subscribeAndAwait(() ->
                        collections.collectedPerInvoice(List.of(invoiceId, neverPaid))),
                "the reconciliation's payment-provider column agrees with the ledger");
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, paid - refunded);
    }

    @Test
    void anUnpaidInvoiceCannotBeRefunded() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Unpaid Sponsor");
        TestAccounts.Member finance = accounts.create("Finance", "OPERATOR", "finance");
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        UUID invoiceId = invoice.id();
        IssuedInvoices.handOver(intake, sql, invoice);
        assertEquals(PaymentState.FAILED, VertxContextSupport.subscribeAndAwait(() -> payments.get(null, invoiceId)).state,
                "no saved card: declined");

        refund(finance, "/api/v1/payments/invoices/" + invoiceId + "/refunds", "r1", 100).statusCode(409)
                .body("errors[0].field", equalTo("state"));
        refund(finance, "/api/v1/payments/invoices/" + TimeOrderedId.next() + "/refunds", "r1", 100).statusCode(404);
        assertEquals(0, sql.number("SELECT count(*) FROM payment_refund WHERE invoice_id = ?", invoiceId));
        assertEquals(0, IssuedInvoices.cashFor(sql, invoiceId), "nothing posted");
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, 0);
    }

    private static ValidatableResponse refund(TestAccounts.Member who, String path, String key, long amount) {
        return given().header("Authorization", who.bearer()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Map.of("amountMinor", amount, "reason", "test"))
                .when().post(path).then();
    }
}
