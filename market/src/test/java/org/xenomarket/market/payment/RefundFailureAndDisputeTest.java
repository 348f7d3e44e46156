package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.deliver;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;

/**
 * Stripe's news after the fact: a refund it accepted and then failed, and disputes (chargebacks)
 * won or lost. Each is delivered twice and out of order through the signed webhook; each ends as at
 * most one balanced journal entry, audited, and the reconciliation report lists no difference.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class RefundFailureAndDisputeTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoiceIntake intake;

    RefundFailureAndDisputeTest(TestAccounts accounts, Sql sql, InvoiceIntake intake) {
        this.accounts = accounts;
        this.sql = sql;
        this.intake = intake;
    }

    @Test
    void aRefundThatFailsAtStripeIsReversedOnceHoweverOftenItIsReported() throws Throwable {
        Paid paid = paidInvoice("Refund Failing Sponsor");
        long refunded = Math.max(1, paid.invoice.amount() / 2);
        String refundId = StripeJson.newId("re");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/refunds"))
                .withRequestBody(containing("payment_intent=" + paid.intent))
                .willReturn(json(200, refund(refundId, refunded, paid, "pending", null, null))));
        String ours = given().header("Authorization", paid.invoice.finance().bearer()).header("Idempotency-Key", "r1")
                .contentType(ContentType.JSON).body(Map.of("amountMinor", refunded, "reason", "goodwill"))
                .when().post("/api/v1/payments/invoices/" + paid.invoice.id() + "/refunds").then().statusCode(201)
                .body("state", equalTo("SUCCEEDED")).extract().path("id");
        assertEquals(paid.invoice.amount() - refunded, IssuedInvoices.cashFor(sql, paid.invoice.id()));

        // The card was closed: Stripe fails the refund. Two events of it, each delivered twice.
        String failed = refund(refundId, refunded, paid, "failed", "expired_or_canceled_card", ours);
        String first = StripeJson.event(StripeJson.newId("evt"), "refund.failed", failed);
        String second = StripeJson.event(StripeJson.newId("evt"), "refund.updated", failed);
        for (String event : new String[] {first, second, first, second}) {
            deliver(event).statusCode(200);
        }

        assertEquals("FAILED", sql.text("SELECT state FROM payment_refund WHERE stripe_refund_id = ?", refundId));
        assertEquals(1, sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'REFUND_FAILED'"
                + " AND invoice_id = ? AND provider_reference = ?", paid.invoice.id(), refundId + ":failed"));
        assertEquals(paid.invoice.amount(), IssuedInvoices.cashFor(sql, paid.invoice.id()),
                "the refund's cash came back");
        assertEquals(0, outstanding(paid.invoice.id()), "the sponsor owes nothing: it paid and kept its money there");
        assertEquals(1, audited("payment.refund.failed", paid.invoice.id()));
        assertEquals(1, audited("ledger.refund_failed", paid.invoice.id()));
        IssuedInvoices.assertLedgerAndReconciliation(sql, paid.invoice, paid.invoice.amount());
    }

    @Test
    void aLostDisputeReportedClosedBeforeOpenedPutsTheInvoiceBackOnTheReceivableOnce() throws Throwable {
        Paid paid = paidInvoice("Disputed Sponsor");
        String disputeId = StripeJson.newId("dp");
        long amount = paid.invoice.amount();
        String closed = StripeJson.event(StripeJson.newId("evt"), "charge.dispute.closed",
                dispute(disputeId, amount, paid, "lost"));
        String created = StripeJson.event(StripeJson.newId("evt"), "charge.dispute.created",
                dispute(disputeId, amount, paid, "needs_response"));
        // Out of order (closed first) and duplicated.
        for (String event : new String[] {closed, created, closed, created}) {
            deliver(event).statusCode(200);
        }

        assertEquals("LOST", sql.text("SELECT status FROM payment_dispute WHERE id = ?", disputeId));
        assertEquals(1, sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'DISPUTE_LOST'"
                + " AND invoice_id = ? AND provider_reference = ?", paid.invoice.id(), disputeId));
        assertEquals(0, IssuedInvoices.cashFor(sql, paid.invoice.id()), "the charged-back money left cash");
        assertEquals(amount, outstanding(paid.invoice.id()), "the sponsor owes the invoice again");
        assertEquals(1, audited("payment.dispute.opened", paid.invoice.id()));
        assertEquals(1, audited("payment.dispute.lost", paid.invoice.id()));
        assertEquals(1, audited("ledger.dispute_lost", paid.invoice.id()));
        IssuedInvoices.assertLedgerAndReconciliation(sql, paid.invoice, 0);
    }

    @Test
    void aWonDisputeMovesNoMoneyAndALateOpeningDoesNotReopenIt() throws Throwable {
        Paid paid = paidInvoice("Vindicated Sponsor");
        String disputeId = StripeJson.newId("dp");
        long amount = paid.invoice.amount();
        String created = StripeJson.event(StripeJson.newId("evt"), "charge.dispute.created",
                dispute(disputeId, amount, paid, "needs_response"));
        String won = StripeJson.event(StripeJson.newId("evt"), "charge.dispute.closed",
                dispute(disputeId, amount, paid, "won"));
        for (String event : new String[] {created, won, created, won}) {
            deliver(event).statusCode(200);
        }
        // A closing with another outcome, sent later under a new event id, changes nothing either.
        deliver(StripeJson.event(StripeJson.newId("evt"), "charge.dispute.closed", dispute(disputeId, amount, paid,
                "lost"))).statusCode(200);

        assertEquals("WON", sql.text("SELECT status FROM payment_dispute WHERE id = ?", disputeId));
        assertEquals(0, sql.number("SELECT count(*) FROM journal_entry WHERE kind = 'DISPUTE_LOST'"
                + " AND invoice_id = ?", paid.invoice.id()));
        assertEquals(amount, IssuedInvoices.cashFor(sql, paid.invoice.id()));
        assertEquals(0, outstanding(paid.invoice.id()));
        assertEquals(1, audited("payment.dispute.won", paid.invoice.id()));
        IssuedInvoices.assertLedgerAndReconciliation(sql, paid.invoice, amount);
    }

    /** An issued invoice paid through the stand-in, and the PaymentIntent that paid it. */
    private record Paid(Issued invoice, String intent) {
    }

    private Paid paidInvoice(String sponsorName) throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor(sponsorName);
        PaymentFixtures.savedCard(sponsor);
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        String intent = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoice.id(), 1)).willReturn(
                json(200, StripeJson.paymentIntent(intent, invoice.id(), 1, invoice.amount(), invoice.currency(),
                        "succeeded", null))));
        IssuedInvoices.handOver(intake, sql, invoice);
        IssuedInvoices.assertPaidOnce(sql, invoice, intent);
        return new Paid(invoice, intent);
    }

    private static String refund(String id, long amount, Paid paid, String status, String failure, String ours) {
        return """
                {"id": "%s", "object": "refund", "amount": %d, "currency": "%s", "payment_intent": "%s",
                 "status": "%s", "failure_reason": %s, "created": 1764800000, "metadata": %s}"""
                .formatted(id, amount, paid.invoice.currency().toLowerCase(), paid.intent, status,
                        failure == null ? "null" : "\"" + failure + "\"",
                        ours == null ? "{}" : "{\"xenomarket_refund_id\": \"" + ours + "\"}");
    }

    private static String dispute(String id, long amount, Paid paid, String status) {
        return """
                {"id": "%s", "object": "dispute", "amount": %d, "currency": "%s", "charge": "ch_standin",
                 "payment_intent": "%s", "reason": "fraudulent", "status": "%s", "created": 1764800000,
                 "livemode": false, "is_charge_refundable": false, "balance_transactions": [], "metadata": {}}"""
                .formatted(id, amount, paid.invoice.currency().toLowerCase(), paid.intent, status);
    }

    /** The sponsor's receivable for the invoice, over every entry on it. */
    private long outstanding(UUID invoiceId) {
        return sql.number("SELECT coalesce(sum(jl.amount_minor), 0) FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.invoice_id = ? AND jl.account = 'SPONSOR_RECEIVABLE'", invoiceId);
    }

    private long audited(String action, UUID invoiceId) {
        return sql.number("SELECT count(*) FROM audit_event WHERE action = ? AND object_id = ?", action,
                invoiceId.toString());
    }
}
