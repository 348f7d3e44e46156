package org.xenomarket.market.quote;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.TestPolicies;

/**
 * Quotes are priced from cached price sheets (the rules run once per server and policy version), and a sheet
 * is taken as still valid without rebuilding what the rules would see when the server's inputs are unchanged.
 * After a floor change and after a policy change, a new quote is what the rules give for its inputs, priced
 * afresh by the policy preview (which never reads the cache), under the version that prices now; and a quote
 * stored before either change still answers exactly what it answered, under its own version.
 */
@QuarkusTest
class QuoteTraceableAfterChangeTest {

    private final TestAccounts accounts;

    QuoteTraceableAfterChangeTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void aQuoteAfterAFloorOrPolicyChangeIsWhatTheRulesGiveAndEarlierQuotesStayAsGiven() {
        TestAccounts.Member provider = accounts.provider("Traceable Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Traceable Sponsor");
        TestAccounts.Member finance = accounts.create("Traceable Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        // a fixed start, so the quote and the preview price the same local hours
        String start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toString();
        Map<String, Object> request = Map.of("serverId", serverId, "start", start,
                "resources", Map.of("vcpus", 2, "memoryMib", 2048, "diskGib", 10), "durationHours", 3);

        JsonPath first = post(sponsor, "/api/v1/quotes", request).statusCode(201).extract().jsonPath();
        post(sponsor, "/api/v1/quotes", request).statusCode(201); // the sheet is now cached and checked
        assertEqualsRules(finance, first, request);

        RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "0.7")).put("/api/v1/servers/" + serverId + "/floor-prices")
                .then().statusCode(200);
        JsonPath afterFloor = post(sponsor, "/api/v1/quotes", request).statusCode(201)
                .body("unitPrices.vcpuHour.amount", equalTo("0.700000")).extract().jsonPath();
        assertNotEquals(price(first), price(afterFloor), "the raised floor prices the next quote");
        assertEqualsRules(finance, afterFloor, request);
        assertReadsAsGiven(sponsor, first);

        String previous = TestPolicies.activateBuiltIn(finance, "traceable", tables -> { });
        try {
            String version = TestPolicies.active(finance);
            assertNotEquals(first.getString("policyVersion"), version);
            JsonPath afterPolicy = post(sponsor, "/api/v1/quotes", request).statusCode(201)
                    .body("policyVersion", equalTo(version)).extract().jsonPath();
            assertEqualsRules(finance, afterPolicy, request);
            assertReadsAsGiven(sponsor, first);
            assertReadsAsGiven(sponsor, afterFloor);
        } finally {
            TestPolicies.restore(finance, previous);
        }
    }

    /** The quote equals the preview's pricing of the same request under the quote's version, line by line. */
    private static void assertEqualsRules(TestAccounts.Member finance, JsonPath quote, Map<String, Object> request) {
        JsonPath rules = post(finance, "/api/v1/pricing/policies/" + quote.getString("policyVersion") + "/preview",
                request).statusCode(200).extract().jsonPath();
        assertEquals(0, price(rules).compareTo(price(quote)), "price per hour");
        assertEquals(0, new BigDecimal(rules.getString("total.amount"))
                .compareTo(new BigDecimal(quote.getString("total.amount"))), "total");
        assertEquals(rules.getMap("unitPrices").toString(), quote.getMap("unitPrices").toString());
        assertEquals(rules.getList("breakdown"), quote.getList("breakdown"));
    }

    /** The stored quote, read again, answers the breakdown, price and version it was given with. */
    private static void assertReadsAsGiven(TestAccounts.Member sponsor, JsonPath given) {
        JsonPath read = get(sponsor, "/api/v1/quotes/" + given.getString("id")).statusCode(200).extract().jsonPath();
        assertEquals(given.getString("policyVersion"), read.getString("policyVersion"));
        assertEquals(0, price(given).compareTo(price(read)));
        assertEquals(given.getList("breakdown"), read.getList("breakdown"));
    }

    private static BigDecimal price(JsonPath quote) {
        return new BigDecimal(quote.getString("pricePerHour.amount"));
    }
}
