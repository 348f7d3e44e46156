package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.payment.service.PaymentSweep;

/**
 * Payouts to providers through Stripe Connect: of the provider's payable in the real ledger (what a
 * real invoice run credited it, already net of the platform fee: no second fee), never above it, one
 * Transfer per payout under the payout's key even when its answer is lost, and one ledger entry for
 * it; bad requests name their field.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class PayoutTest {

    private static final String TRANSFERS = "/v1/transfers";

    private final TestAccounts accounts;
    private final PaymentSweep sweep;
    private final Sql sql;

    PayoutTest(TestAccounts accounts, PaymentSweep sweep, Sql sql) {
        this.accounts = accounts;
        this.sweep = sweep;
        this.sql = sql;
    }

    @Test
    void aProviderIsPaidItsPayableOnceWithoutASecondFeeEvenWhenTheTransfersAnswerIsLost() throws Throwable {
        TestAccounts.Member provider = accounts.provider("Paid Provider");
        TestAccounts.Member finance = accounts.create("Finance", "OPERATOR", "finance");
        IssuedInvoices.Issued invoice = IssuedInvoices.issue(accounts, sql, accounts.sponsor("Payout Sponsor"), provider);
        long owed = payable(provider.accountId());
        long fee = sql.number("SELECT -sum(jl.amount_minor) FROM journal_line jl JOIN journal_entry je ON je.id = jl.entry_id"
                + " WHERE je.kind = 'INVOICE' AND je.invoice_id = ? AND jl.account = 'PLATFORM_FEE_REVENUE'", invoice.id());
        assertEquals(invoice.amount(), owed + fee, "the invoice run booked the fee once: the payable is the rest");
        assertTrue(fee > 0 && owed > 0, "fee " + fee + ", owed " + owed);
        String account = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        put(provider, "/api/v1/payments/providers/" + provider.accountId() + "/connected-account",
                Map.of("stripeAccountId", account)).statusCode(200).body("stripeAccountId", equalTo(account));
        String transfer = StripeJson.newId("tr");
        String answer = StripeJson.transfer(transfer, owed, invoice.currency(), account);
        String scenario = "transfer-" + account;
        // the first answer and the client's own retry both come too late; the market resends later
        StripeStandIn.server().stubFor(post(urlEqualTo(TRANSFERS)).withRequestBody(containing("destination=" + account))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("late")
                .willReturn(json(200, answer).withFixedDelay(2_500)));
        StripeStandIn.server().stubFor(post(urlEqualTo(TRANSFERS)).withRequestBody(containing("destination=" + account))
                .inScenario(scenario).whenScenarioStateIs("late").willSetStateTo("made")
                .willReturn(json(200, answer).withFixedDelay(2_500)));
        StripeStandIn.server().stubFor(post(urlEqualTo(TRANSFERS)).withRequestBody(containing("destination=" + account))
                .inScenario(scenario).whenScenarioStateIs("made").willReturn(json(200, answer)));
        Map<String, Object> order = Map.of("providerId", provider.accountId().toString(), "amountMinor", owed,
                "currency", invoice.currency());
        pay(finance, "too-much", Map.of("providerId", provider.accountId().toString(), "amountMinor", owed + 1,
                "currency", invoice.currency())).statusCode(409).body("errors[0].field", equalTo("amountMinor"))
                .body("detail", org.hamcrest.Matchers.containsString("at most " + owed));

        String payoutId = pay(finance, "may-2027", order).statusCode(201)
                .body("state", equalTo("PENDING"))
                .body("amountMinor", equalTo((int) owed))
                .extract().path("id");
        pay(finance, "while-in-flight", Map.of("providerId", provider.accountId().toString(), "amountMinor", 1,
                "currency", invoice.currency())).statusCode(409).body("errors[0].field", equalTo("amountMinor"));
        assertEquals(0, payoutEntries(provider.accountId()), "nothing is posted before Stripe confirms");

        VertxContextSupport.subscribeAndAwait(sweep::sweep);

        given().header("Authorization", provider.bearer()).when().get("/api/v1/payments/payouts/" + payoutId)
                .then().statusCode(200).body("state", equalTo("PAID")).body("transferId", equalTo(transfer));
        // finance resends its request: the same payout, no new transfer
        pay(finance, "may-2027", order).statusCode(200).body("id", equalTo(payoutId)).body("state", equalTo("PAID"));
        assertEquals(Set.of(IdempotencyKeys.payout(UUID.fromString(payoutId))),
                StripeStandIn.keys(TRANSFERS, "destination=" + account), "one transfer key for the payout");
        assertEquals(3, StripeStandIn.requests(TRANSFERS, IdempotencyKeys.payout(UUID.fromString(payoutId))).size());
        assertEquals(1, payoutEntries(provider.accountId()), "one payout entry");
        assertEquals(owed, sql.number("SELECT jl.amount_minor FROM journal_line jl JOIN journal_entry je"
                + " ON je.id = jl.entry_id WHERE je.kind = 'PAYOUT' AND je.provider_reference = ?"
                + " AND jl.account = 'PROVIDER_PAYABLE' AND jl.party_id = ?", transfer, provider.accountId()));
        assertEquals(0, sql.number("SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency"
                + " HAVING sum(amount_minor) <> 0) unbalanced"), "every journal entry is balanced");
        // another order under the same key is refused
        assertEquals(0, payable(provider.accountId()), "the payable is paid out");
        pay(finance, "may-2027", Map.of("providerId", provider.accountId().toString(), "amountMinor", owed + 1,
                "currency", invoice.currency())).statusCode(409).body("errors[0].field", equalTo("Idempotency-Key"));
        // nothing is owed any more
        pay(finance, "june-2027", Map.of("providerId", provider.accountId().toString(), "amountMinor", 1,
                "currency", invoice.currency())).statusCode(409).body("errors[0].field", equalTo("amountMinor"));
        assertEquals(1, payoutEntries(provider.accountId()));
    }

    @Test
    void badPayoutRequestsNameTheirFieldAndChangeNothing() {
        TestAccounts.Member provider = accounts.provider("Unconnected Provider");
        TestAccounts.Member finance = accounts.create("Finance", "OPERATOR", "finance");
        TestAccounts.Member sponsor = accounts.sponsor("Nosy Sponsor");
        String providerId = provider.accountId().toString();

        pay(finance, "k1", Map.of("providerId", providerId, "amountMinor", 500, "currency", "EUR"))
                .statusCode(409).body("errors[0].field", equalTo("providerId"));
        pay(finance, "k2", Map.of("providerId", providerId, "amountMinor", 500, "currency", "eur"))
                .statusCode(400).body("errors[0].field", equalTo("currency"));
        pay(finance, "k3", Map.of("providerId", providerId, "amountMinor", -5, "currency", "EUR"))
                .statusCode(400).body("errors[0].field", equalTo("amountMinor"));
        pay(finance, null, Map.of("providerId", providerId, "amountMinor", 500, "currency", "EUR"))
                .statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        pay(sponsor, "k4", Map.of("providerId", providerId, "amountMinor", 500, "currency", "EUR"))
                .statusCode(403);
        put(provider, "/api/v1/payments/providers/" + providerId + "/connected-account",
                Map.of("stripeAccountId", "DE89370400440532013000")).statusCode(400)
                .body("errors[0].field", equalTo("stripeAccountId"));
        put(accounts.provider("Other Provider"), "/api/v1/payments/providers/" + providerId + "/connected-account",
                Map.of("stripeAccountId", "acct_123")).statusCode(404);
        assertEquals(0, payoutEntries(provider.accountId()));
    }

    /** What the ledger says is owed to the provider. */
    private long payable(UUID providerId) {
        return sql.number("SELECT coalesce(-sum(amount_minor), 0) FROM journal_line WHERE account = 'PROVIDER_PAYABLE'"
                + " AND party_id = ?", providerId);
    }

    private long payoutEntries(UUID providerId) {
        return sql.number("SELECT count(DISTINCT je.id) FROM journal_entry je JOIN journal_line jl ON jl.entry_id = je.id"
                + " WHERE je.kind = 'PAYOUT' AND jl.party_id = ?", providerId);
    }

    private static ValidatableResponse pay(TestAccounts.Member who, String key, Map<String, Object> body) {
        var request = given().header("Authorization", who.bearer()).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/payments/payouts").then();
    }

    private static ValidatableResponse put(TestAccounts.Member who, String path, Object body) {
        return given().header("Authorization", who.bearer()).contentType(ContentType.JSON).body(body)
                .when().put(path).then();
    }
}
