package org.xenomarket.market.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.TestAccounts;

/**
 * Requests beyond a token's or an address's limit are refused with 429, a problem body and
 * {@code Retry-After}, and the limit of one token or address does not touch another's. The client
 * address comes from {@code X-Forwarded-For} here (the market trusts a proxy in this profile, as it
 * would behind a load balancer), so each test has addresses of its own.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    private static final int TOKEN_CAPACITY = 5;
    private static final int ADDRESS_CAPACITY = 12;

    /** Five requests per token and twelve per address an hour, so a test reaches them at once. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.xenomarket.rate-limit.enabled", "true",
                    "xenomarket.rate-limit.per-token.capacity", String.valueOf(TOKEN_CAPACITY),
                    "xenomarket.rate-limit.per-token.period", "PT1H",
                    "xenomarket.rate-limit.per-address.capacity", String.valueOf(ADDRESS_CAPACITY),
                    "xenomarket.rate-limit.per-address.period", "PT1H",
                    "xenomarket.rate-limit.per-address.exempt", "10.9.9.9",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    private final TestAccounts accounts;

    RateLimitTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    private static ValidatableResponse me(TestAccounts.Member who, String address) {
        return given().header("Authorization", who.bearer()).header("X-Forwarded-For", address)
                .get("/api/v1/accounts/me").then();
    }

    private static ValidatableResponse anonymous(String address) {
        return given().header("X-Forwarded-For", address).get("/api/v1/accounts/me").then();
    }

    private static void assertTooMany(ValidatableResponse answer, String says) {
        answer.statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/rate-limited"))
                .body("status", equalTo(429)).body("detail", containsString(says));
        long retryAfter = Long.parseLong(answer.extract().header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
    }

    @Test
    void aTokenPastItsLimitIsRefusedWith429AndRetryAfterWhileAnotherTokenGoesOn() {
        TestAccounts.Member busy = accounts.sponsor("Busy Sponsor");
        TestAccounts.Member calm = accounts.sponsor("Calm Sponsor");

        for (int i = 0; i < TOKEN_CAPACITY; i++) {
            me(busy, "10.1.0." + i).statusCode(200);
        }
        // From yet another address: it is the token that is out of requests, not the address.
        assertTooMany(me(busy, "10.1.0.99"), "this token");

        me(calm, "10.1.0.99").statusCode(200).body("id", equalTo(calm.accountId().toString()));
    }

    @Test
    void anAddressPastItsLimitIsRefusedEvenWithoutATokenWhileOtherAddressesGoOn() {
        int answered = 0;
        while (answered < ADDRESS_CAPACITY) {
            // Unknown callers count too: that is what slows the guessing of tokens and passwords.
            anonymous("10.2.0.1").statusCode(401);
            answered++;
        }
        assertTooMany(anonymous("10.2.0.1"), "this address");
        TestAccounts.Member member = accounts.provider("Address Provider");
        assertTooMany(me(member, "10.2.0.1"), "this address");

        assertEquals(200, me(member, "10.2.0.2").extract().statusCode(), "another address goes on");
    }

    @Test
    void anExemptAddressHasNoAddressLimitButItsTokensStillHaveTheirs() {
        for (int i = 0; i < ADDRESS_CAPACITY + 3; i++) {
            anonymous("10.9.9.9").statusCode(401);
        }
        TestAccounts.Member member = accounts.sponsor("Portal Sponsor");
        for (int i = 0; i < TOKEN_CAPACITY; i++) {
            me(member, "10.9.9.9").statusCode(200);
        }
        assertTooMany(me(member, "10.9.9.9"), "this token");
    }

    @Test
    void theDocumentDeclares429WithRetryAfterOnTheOperationsThatAnswerIt() {
        TestAccounts.Member member = accounts.sponsor("Documented Sponsor");
        for (int i = 0; i < TOKEN_CAPACITY; i++) {
            me(member, "10.3.0." + i).statusCode(200);
        }
        assertTooMany(me(member, "10.3.0.99"), "this token");
        // What the refused operation declares (the document is not rate-limited: it is not under /api).
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/accounts/me'.get.responses.'429'.$ref", equalTo("#/components/responses/RateLimited"))
                .body("components.responses.RateLimited.headers.'Retry-After'.schema.type", equalTo("integer"))
                .body("components.responses.RateLimited.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"));
    }
}
