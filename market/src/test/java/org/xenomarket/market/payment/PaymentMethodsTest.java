package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.payment.PaymentFixtures.deliver;
import static org.xenomarket.market.payment.PaymentFixtures.json;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * A sponsor saves a payment method: one Stripe Customer however often it asks (a key per sponsor),
 * a SetupIntent whose client secret goes to its browser, and the method stored when Stripe says the
 * setup succeeded. Stripe being down is a 503 problem that stores nothing.
 */
@QuarkusTest
@WithTestResource(value = StripeStandIn.class, scope = TestResourceScope.GLOBAL)
class PaymentMethodsTest {

    private static final String SETUP = "/api/v1/payments/setup-intents";
    private static final String CHECKOUT = "/api/v1/payments/checkout-sessions";
    private static final String METHOD = "/api/v1/payments/method";

    private final TestAccounts accounts;
    private final Sql sql;

    PaymentMethodsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aSponsorHasOneCustomerHowEverOftenItStartsASetupAndItsCardIsStoredOnce() {
        TestAccounts.Member sponsor = accounts.sponsor("Carded Sponsor");
        String customer = PaymentFixtures.customerId(sponsor.accountId());
        String customerKey = IdempotencyKeys.customer(sponsor.accountId());
        String setupIntent = StripeJson.newId("seti");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo(customerKey))
                .willReturn(json(200, StripeJson.customer(customer, sponsor.name()))));
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/setup_intents")).withRequestBody(containing("customer=" + customer))
                .willReturn(json(200, StripeJson.setupIntent(setupIntent, customer, "requires_payment_method", null))));

        for (int i = 0; i < 2; i++) {
            given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "browser-1")
                    .when().post(SETUP).then().statusCode(201)
                    .body("customerId", Matchers.equalTo(customer))
                    .body("clientSecret", Matchers.equalTo(setupIntent + "_secret_standin"));
        }
        assertEquals(1, StripeStandIn.requests("/v1/customers", customerKey).size(),
                "the second setup found the stored customer");
        assertEquals(Set.of(IdempotencyKeys.setupIntent(sponsor.accountId(), "browser-1")),
                StripeStandIn.keys("/v1/setup_intents", "customer=" + customer), "the browser's key, per sponsor");
        assertEquals(1, sql.number("SELECT count(*) FROM payment_customer WHERE sponsor_id = ?", sponsor.accountId()));

        String event = StripeJson.event(StripeJson.newId("evt"), "setup_intent.succeeded",
                StripeJson.setupIntent(setupIntent, customer, "succeeded", "pm_card_one"));
        deliver(event).statusCode(200).body("outcome", Matchers.equalTo("HANDLED"));
        deliver(event).statusCode(200).body("outcome", Matchers.equalTo("DUPLICATE"));
        assertEquals(1, sql.number("SELECT count(*) FROM payment_customer WHERE sponsor_id = ?"
                + " AND payment_method_id = 'pm_card_one'", sponsor.accountId()));
    }

    @Test
    void aSponsorSavesACardOnStripesCheckoutPageAndSeesItSavedOnceStripeSaysSo() {
        TestAccounts.Member sponsor = accounts.sponsor("Checkout Sponsor");
        String customer = PaymentFixtures.customerId(sponsor.accountId());
        String session = StripeJson.newId("cs");
        String setupIntent = StripeJson.newId("seti");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/customers"))
                .withHeader("Idempotency-Key", equalTo(IdempotencyKeys.customer(sponsor.accountId())))
                .willReturn(json(200, StripeJson.customer(customer, sponsor.name()))));
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("customer=" + customer)).withRequestBody(containing("mode=setup"))
                .withRequestBody(containing("success_url=" + URLEncoder.encode("https://console.example/billing?card=back",
                        StandardCharsets.UTF_8)))
                .willReturn(json(200, "{\"id\": \"" + session + "\", \"object\": \"checkout.session\", \"mode\": \"setup\","
                        + " \"customer\": \"" + customer + "\", \"url\": \"https://checkout.stripe.com/c/pay/" + session + "\"}")));

        given().header("Authorization", sponsor.bearer()).when().get(METHOD).then().statusCode(200)
                .body("saved", Matchers.equalTo(false)).body("paymentMethodId", Matchers.nullValue());
        given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "console-1")
                .contentType("application/json")
                .body("{\"successUrl\": \"https://console.example/billing?card=back\","
                        + " \"cancelUrl\": \"https://console.example/billing\"}")
                .when().post(CHECKOUT).then().statusCode(201)
                .body("sessionId", Matchers.equalTo(session)).body("customerId", Matchers.equalTo(customer))
                .body("url", Matchers.equalTo("https://checkout.stripe.com/c/pay/" + session));
        assertEquals(Set.of(IdempotencyKeys.checkout(sponsor.accountId(), "console-1")),
                StripeStandIn.keys("/v1/checkout/sessions", "customer=" + customer));
        given().header("Authorization", sponsor.bearer()).when().get(METHOD).then().statusCode(200)
                .body("saved", Matchers.equalTo(false)).body("customerId", Matchers.equalTo(customer));

        deliver(StripeJson.event(StripeJson.newId("evt"), "setup_intent.succeeded",
                StripeJson.setupIntent(setupIntent, customer, "succeeded", "pm_checkout_card"))).statusCode(200);
        given().header("Authorization", sponsor.bearer()).when().get(METHOD).then().statusCode(200)
                .body("saved", Matchers.equalTo(true)).body("paymentMethodId", Matchers.equalTo("pm_checkout_card"));
    }

    @Test
    void aCheckoutWithAnAddressThatIsNotAbsoluteOrAnOverlongKeyIsRefusedAndNothingIsCreated() {
        TestAccounts.Member sponsor = accounts.sponsor("Careless Sponsor");
        given().header("Authorization", sponsor.bearer()).contentType("application/json")
                .body("{\"successUrl\": \"/billing\", \"cancelUrl\": \"https://console.example/billing\"}")
                .when().post(CHECKOUT).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", Matchers.hasItem(Matchers.containsString("successUrl")));
        given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "k".repeat(201))
                .contentType("application/json")
                .body("{\"successUrl\": \"https://console.example/b\", \"cancelUrl\": \"https://console.example/b\"}")
                .when().post(CHECKOUT).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", Matchers.hasItem("Idempotency-Key"));
        assertEquals(0, sql.number("SELECT count(*) FROM payment_customer WHERE sponsor_id = ?", sponsor.accountId()));
        given().header("Authorization", accounts.provider("Not A Sponsor Either").bearer()).when().get(METHOD)
                .then().statusCode(403);
    }

    @Test
    void stripeDownIsA503ProblemAndNoCustomerIsStored() {
        TestAccounts.Member sponsor = accounts.sponsor("Unlucky Sponsor");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/customers"))
                .withHeader("Idempotency-Key", equalTo(IdempotencyKeys.customer(sponsor.accountId())))
                .willReturn(json(503, StripeJson.serverError())));

        given().header("Authorization", sponsor.bearer()).when().post(SETUP).then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://xenomarket.org/problems/payment-provider-unavailable"));
        assertEquals(0, sql.number("SELECT count(*) FROM payment_customer WHERE sponsor_id = ?", sponsor.accountId()));
        given().header("Authorization", accounts.provider("Not A Sponsor").bearer()).when().post(SETUP)
                .then().statusCode(403);
    }
}
