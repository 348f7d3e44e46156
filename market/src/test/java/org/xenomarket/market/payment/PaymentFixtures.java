package org.xenomarket.market.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.xenomarket.market.TestAccounts;

/** What payment tests do again and again: stub Stripe's answers, deliver signed webhooks, save a card. */
public final class PaymentFixtures {

    public static final String WEBHOOK = "/api/v1/payments/stripe/webhook";

    private PaymentFixtures() {
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_standin").withBody(body);
    }

    /** A stub of POST /v1/payment_intents for one idempotency key. */
    public static MappingBuilder chargeWithKey(String key) {
        return post(urlEqualTo("/v1/payment_intents")).withHeader("Idempotency-Key", equalTo(key));
    }

    /** Delivers a webhook signed now with the configured secret. */
    public static ValidatableResponse deliver(String eventJson) {
        return deliver(eventJson, WebhookSigner.signNow(eventJson));
    }

    public static ValidatableResponse deliver(String eventJson, String signature) {
        return given().header("Stripe-Signature", signature).contentType("application/json").body(eventJson)
                .when().post(WEBHOOK).then();
    }

    /** The Customer id the stand-in gives this sponsor. */
    public static String customerId(UUID sponsorId) {
        return "cus_" + sponsorId.toString().replace("-", "").substring(12);
    }

    /**
     * Saves a card for the sponsor as a browser would: the market's SetupIntent endpoint (which
     * creates the Customer at the stand-in), then Stripe's setup_intent.succeeded webhook. Returns
     * the payment method id.
     */
    public static String savedCard(TestAccounts.Member sponsor) {
        String customer = customerId(sponsor.accountId());
        String setupIntent = StripeJson.newId("seti");
        String paymentMethod = StripeJson.newId("pm");
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/customers"))
                .withHeader("Idempotency-Key", equalTo(IdempotencyKeys.customer(sponsor.accountId())))
                .willReturn(json(200, StripeJson.customer(customer, sponsor.name()))));
        StripeStandIn.server().stubFor(post(urlEqualTo("/v1/setup_intents"))
                .withRequestBody(containing("customer=" + customer))
                .willReturn(json(200, StripeJson.setupIntent(setupIntent, customer, "requires_payment_method", null))));
        given().header("Authorization", sponsor.bearer()).when().post("/api/v1/payments/setup-intents")
                .then().statusCode(201);
        deliver(StripeJson.event(StripeJson.newId("evt"), "setup_intent.succeeded",
                StripeJson.setupIntent(setupIntent, customer, "succeeded", paymentMethod))).statusCode(200);
        return paymentMethod;
    }
}
