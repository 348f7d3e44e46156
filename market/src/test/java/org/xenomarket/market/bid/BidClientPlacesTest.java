package org.xenomarket.market.bid;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.TestPolicies;

/** A bid names where its clients are: the lease's quote prices egress to them by distance class. */
@QuarkusTest
class BidClientPlacesTest {

    private static final String RULE = "Long-haul egress by distance class";

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member operator;
    private TestAccounts.Member sponsor;
    private String previousPolicy;

    BidClientPlacesTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void setUp() {
        operator = accounts.operator("Bid Places Operator");
        sponsor = accounts.sponsor("Bid Places Sponsor");
        previousPolicy = TestPolicies.activateBuiltIn(operator, "bid-places", tables -> { });
    }

    @AfterEach
    void restorePolicy() {
        TestPolicies.restore(operator, previousPolicy);
    }

    @Test
    void theLeaseOfABidWithClientPlacesIsQuotedWithItsLongHaulLines() {
        TestAccounts.Member provider = accounts.provider("Bid Places Provider");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        Places regional = here.longitude() > 0 ? here.east(-300) : here.east(300);
        Map<String, Object> bid = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(2).maxPerHour("5.00"));
        bid.put("clientPlaces", List.of(Map.of("lat", regional.latitude(), "lon", regional.longitude(), "egressGb", 40),
                Map.of("lat", -here.latitude(), "lon", here.longitude() > 0 ? here.longitude() - 180
                        : here.longitude() + 180, "egressGb", 3)));

        JsonPath placed = post(sponsor, "/api/v1/bids", bid).statusCode(201).body("state", equalTo("MATCHED"))
                .body("clientPlaces.egressGb", equalTo(List.of(40, 3))).extract().jsonPath();
        String quoteId = get(sponsor, "/api/v1/leases/" + placed.getString("leaseId")).statusCode(200)
                .extract().path("quoteId");
        JsonPath quote = get(sponsor, "/api/v1/quotes/" + quoteId).statusCode(200)
                .body("clientPlaces.size()", equalTo(2)).extract().jsonPath();

        List<Map<String, String>> lines = quote.getList("breakdown.findAll { it.rule == '" + RULE + "' }");
        assertEquals(List.of("x1.50", "x4.00"), lines.stream().map(l -> l.get("effect")).toList());
        assertTrue(lines.get(0).get("reason").contains("40 GB to 1 place"), lines.get(0).get("reason"));
        assertTrue(lines.get(1).get("reason").contains("3 GB to 1 place"), lines.get(1).get("reason"));
    }

    @Test
    void aBidMatchedAtOnceWithClientPlacesTakesTheServerCheapestInTotal() {
        TestAccounts.Member provider = accounts.provider("Bid Places Pair");
        Places here = Places.somewhere();
        double nearLon = (here.longitude() > 0 ? here.east(-10) : here.east(10)).longitude();
        double farLon = (here.longitude() > 0 ? here.east(-300) : here.east(300)).longitude();
        String near = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), nearLon),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        String far = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), farLon),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        // the near server's provider asks far more per vCPU-hour than the rules would
        io.restassured.RestAssured.given().header("Authorization", provider.bearer())
                .contentType(io.restassured.http.ContentType.JSON).body(Map.of("currency", "EUR", "vcpuHour", "0.2"))
                .put("/api/v1/servers/" + near + "/floor-prices").then().statusCode(200);
        BidRequest request = BidRequest.near(here.latitude(), here.longitude()).withinKm(500)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(1).maxPerHour("5.00");

        assertEquals(far, serverOfLease(post(sponsor, "/api/v1/bids", request)
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId")),
                "without client places the cheaper hour wins");
        Map<String, Object> withPlaces = new HashMap<>(request);
        withPlaces.put("clientPlaces", List.of(Map.of("lat", here.latitude(), "lon", here.longitude(),
                "egressGb", 100)));
        assertEquals(near, serverOfLease(post(sponsor, "/api/v1/bids", withPlaces)
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId")),
                "with 100 GB to clients beside it, the near server is cheaper in total");
    }

    private String serverOfLease(String leaseId) {
        return get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).extract().path("serverId");
    }

    @Test
    void aBidWithAPlaceOffTheGlobeIsRefusedNamingItAndNothingIsStored() {
        long before = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        Places here = Places.somewhere();
        Map<String, Object> bid = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(1).maxPerHour("1.00"));
        bid.put("clientPlaces", List.of(Map.of("lat", 10, "lon", 10, "egressGb", 1),
                Map.of("lat", 10, "lon", 200, "egressGb", 1)));
        post(sponsor, "/api/v1/bids", bid).statusCode(400).body("errors.field", equalTo(List.of("clientPlaces[1].lon")));
        assertEquals(before, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }
}
