package org.xenomarket.market.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.payment.PaymentFixtures.chargeWithKey;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.IssuedInvoices.Issued;
import org.xenomarket.market.payment.service.InvoiceIntake;
import org.xenomarket.market.payment.service.InvoicePayments;
import org.xenomarket.market.payment.service.PaymentSweep;

/**
 * Dunning: a declined invoice is retried on the schedule (P1D, P3D, P7D after the first decline),
 * each retry a new PaymentIntent under a new key; a decline after the last retry suspends the
 * sponsor's leases through the lease package, and paying (after saving a new card) resumes them,
 * but not a lease the sponsor had suspended itself.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class DunningTest {

    private static final String INTENTS = "/v1/payment_intents";

    private final TestAccounts accounts;
    private final Sql sql;
    private final InvoicePayments payments;
    private final PaymentSweep sweep;
    private final InvoiceIntake intake;
    private final AgroalDataSource dataSource;

    DunningTest(TestAccounts accounts, Sql sql, InvoicePayments payments, PaymentSweep sweep, InvoiceIntake intake,
                AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.accounts = accounts;
        this.sql = sql;
        this.payments = payments;
        this.sweep = sweep;
        this.intake = intake;
    }

    @Test
    void declinesAreRetriedOnTheScheduleThenLeasesAreSuspendedAndResumedWhenPaid() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Dunning Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Dunning Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        String running = lease(sponsor, here);
        String pausedBySponsor = lease(sponsor, here);
        post(sponsor, "/api/v1/leases/" + pausedBySponsor + "/suspend", Map.of()).statusCode(200);
        PaymentFixtures.savedCard(sponsor);

        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        UUID invoiceId = invoice.id();
        for (int attempt = 1; attempt <= 4; attempt++) {
            String intent = StripeJson.newId("pi");
            StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, attempt))
                    .willReturn(json(402, StripeJson.cardDeclined(intent, invoiceId, attempt, invoice.amount(),
                            invoice.currency()))));
        }

        IssuedInvoices.handOver(intake, sql, invoice);
        InvoicePayment first = stored(invoiceId);
        assertEquals(PaymentState.FAILED, first.state);
        assertEquals(1, first.failures);
        long[] scheduleSeconds = {86_400, 3 * 86_400, 7 * 86_400};
        assertEquals(scheduleSeconds[0], secondsFromFirstFailureToNextAttempt(invoiceId));

        for (int retry = 2; retry <= 3; retry++) {
            makeDueAndSweep(invoiceId);
            InvoicePayment failed = stored(invoiceId);
            assertEquals(PaymentState.FAILED, failed.state);
            assertEquals(retry, failed.attempt);
            assertEquals(scheduleSeconds[retry - 1], secondsFromFirstFailureToNextAttempt(invoiceId),
                    "retry " + retry + " is counted from the first decline");
            get(sponsor, "/api/v1/leases/" + running).statusCode(200)
                    .body("suspendedAt", org.hamcrest.Matchers.nullValue());
        }

        makeDueAndSweep(invoiceId);
        InvoicePayment written = stored(invoiceId);
        assertEquals(PaymentState.UNCOLLECTIBLE, written.state);
        assertEquals(4, written.failures);
        assertNull(written.nextAttemptAt);
        assertEquals(Set.of(running),
                held(sponsor.accountId()), "the running lease is held; the one the sponsor paused is not the market's");
        get(sponsor, "/api/v1/leases/" + running).statusCode(200)
                .body("suspendedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(IntStream.rangeClosed(1, 4).mapToObj(a -> IdempotencyKeys.paymentAttempt(invoiceId, a))
                .collect(Collectors.toSet()), StripeStandIn.keys(INTENTS, invoiceId.toString()), "one key per attempt");
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertEquals(1, StripeStandIn.requests(INTENTS, IdempotencyKeys.paymentAttempt(invoiceId, attempt)).size(),
                    "a decline is not resent under its key");
        }
        assertEquals(0, IssuedInvoices.paymentEntries(sql, invoiceId), "nothing was received");
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, 0);

        // The sponsor saves another card: its written-off invoice is due at once, and paid.
        String paidBy = StripeJson.newId("pi");
        StripeStandIn.server().stubFor(chargeWithKey(IdempotencyKeys.paymentAttempt(invoiceId, 5))
                .willReturn(json(200, StripeJson.paymentIntent(paidBy, invoiceId, 5, invoice.amount(),
                        invoice.currency(), "succeeded", null))));
        PaymentFixtures.savedCard(sponsor);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);

        InvoicePayment paid = stored(invoiceId);
        assertEquals(PaymentState.SUCCEEDED, paid.state);
        assertEquals(paidBy, paid.paidBy);
        IssuedInvoices.assertPaidOnce(sql, invoice, paidBy);
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, invoice.amount());
        assertEquals(Set.of(), held(sponsor.accountId()));
        get(sponsor, "/api/v1/leases/" + running).statusCode(200).body("suspendedAt", org.hamcrest.Matchers.nullValue());
        get(sponsor, "/api/v1/leases/" + pausedBySponsor).statusCode(200)
                .body("suspendedAt", org.hamcrest.Matchers.notNullValue());
        post(sponsor, "/api/v1/payments/invoices/" + invoiceId + "/retry", Map.of()).statusCode(409)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("state"));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'lease.suspended' AND actor_role = 'dunning'"
                + " AND object_id = ?", running));
    }

    @Test
    void aSponsorWithoutASavedCardGoesThroughDunningWithoutAnyCallToStripe() throws Throwable {
        TestAccounts.Member sponsor = accounts.sponsor("Cardless Sponsor");
        Issued invoice = IssuedInvoices.issue(accounts, sql, sponsor);
        UUID invoiceId = invoice.id();
        IssuedInvoices.handOver(intake, sql, invoice);
        InvoicePayment first = stored(invoiceId);
        assertEquals(PaymentState.FAILED, first.state);
        assertEquals(1, first.failures);
        assertEquals(Set.of(), StripeStandIn.keys(INTENTS, invoiceId.toString()));
        get(sponsor, "/api/v1/payments/invoices/" + invoiceId).statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("FAILED"))
                .body("lastError", org.hamcrest.Matchers.containsString("no saved payment method"));
        get(accounts.sponsor("Other Sponsor"), "/api/v1/payments/invoices/" + invoiceId).statusCode(404);
        // the sponsor asks for a retry now: a new attempt, declined again for want of a card
        post(sponsor, "/api/v1/payments/invoices/" + invoiceId + "/retry", Map.of()).statusCode(200)
                .body("attempt", org.hamcrest.Matchers.equalTo(2))
                .body("failures", org.hamcrest.Matchers.equalTo(2))
                .body("attempts.size()", org.hamcrest.Matchers.equalTo(2));
        assertEquals(0, IssuedInvoices.paymentEntries(sql, invoiceId));
        IssuedInvoices.assertLedgerAndReconciliation(sql, invoice, 0);
    }

    private String lease(TestAccounts.Member sponsor, Places here) {
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(24).maxPerHour("10"))
                .statusCode(201).body("state", org.hamcrest.Matchers.equalTo("MATCHED")).extract().path("id");
        return get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
    }

    /** The leases the market holds for the sponsor's unpaid invoices. */
    private Set<String> held(UUID sponsorId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT lease_id::text FROM dunning_suspension WHERE sponsor_id = ?")) {
            query.setObject(1, sponsorId);
            try (ResultSet rows = query.executeQuery()) {
                Set<String> ids = new HashSet<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }

    private long secondsFromFirstFailureToNextAttempt(UUID invoiceId) {
        return sql.number("SELECT extract(epoch FROM next_attempt_at - first_failed_at)::bigint FROM invoice_payment"
                + " WHERE invoice_id = ?", invoiceId);
    }

    private void makeDueAndSweep(UUID invoiceId) throws Throwable {
        sql.execute("UPDATE invoice_payment SET next_attempt_at = now() - interval '1 second' WHERE invoice_id = ?",
                invoiceId);
        VertxContextSupport.subscribeAndAwait(sweep::sweep);
    }

    private InvoicePayment stored(UUID invoiceId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> payments.get(null, invoiceId));
    }
}
