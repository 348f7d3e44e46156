package org.xenomarket.market.clearing;

import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * The foundation's flow through the REST API on the real PostgreSQL: a provider lists a server,
 * a sponsor finds it near a place, gets a quote priced by the rules, bids, and gets a lease.
 */
@QuarkusTest
class MarketFlowTest {

    private final TestAccounts accounts;
    private final Sql sql;

    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;
    private Places here;
    private String nearServer;
    private String farServer;

    MarketFlowTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void listTwoServers() {
        provider = accounts.provider("Flow Provider");
        sponsor = accounts.sponsor("Flow Sponsor");
        // the far server stands 120 km east and searches reach 200 km: nobody else's site within 350 km
        here = Places.vacant(sql, 350);
        nearServer = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
        Places further = here.east(120);
        farServer = MarketApi.server(provider, MarketApi.site(provider, "eu-west", further.latitude(),
                further.longitude()), Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
    }

    @Test
    void sponsorFindsServersNearAPlaceNearestFirstWithDistanceAndPrice() {
        get(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude()
                + "&withinKm=200&vcpus=2&memoryMib=4096&diskGib=20")
                .statusCode(200)
                .body("id", equalTo(List.of(nearServer, farServer)))
                .body("[0].distanceKm", lessThan(1.0f))
                .body("[1].distanceKm", both(greaterThan(119f)).and(lessThan(121f)))
                .body("fits", everyItem(equalTo(true)))
                .body("[0].pricePerHour.currency", equalTo("EUR"))
                .body("[0].free.vcpus", equalTo(16));
        get(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude() + "&withinKm=50")
                .statusCode(200)
                .body("id", equalTo(List.of(nearServer)));
    }

    @Test
    void quoteCarriesUnitPricesTotalAndTheRulesThatFired() {
        ExtractableResponse<Response> quote = post(sponsor, "/api/v1/quotes", Map.of("serverId", nearServer,
                "resources", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 20), "durationHours", 10))
                .statusCode(201)
                .body("serverId", equalTo(nearServer))
                .body("policyVersion", notNullValue())
                .body("unitPrices.vcpuHour.currency", equalTo("EUR"))
                .body("unitPrices.egressGb.amount", notNullValue())
                .body("breakdown.rule", hasItem("Base price per region and resource"))
                .body("breakdown.rule", hasItem("Congestion multiplier by utilisation"))
                .body("breakdown.rule", hasItem("Reservation premium"))
                .extract();
        BigDecimal vcpu = new BigDecimal(quote.path("unitPrices.vcpuHour.amount").toString());
        BigDecimal memory = new BigDecimal(quote.path("unitPrices.memoryGibHour.amount").toString());
        BigDecimal disk = new BigDecimal(quote.path("unitPrices.diskGibHour.amount").toString());
        BigDecimal perHour = vcpu.multiply(BigDecimal.valueOf(2)).add(memory.multiply(BigDecimal.valueOf(4)))
                .add(disk.multiply(BigDecimal.valueOf(20)));
        BigDecimal total = new BigDecimal(quote.path("total.amount").toString());
        assertEquals(0, perHour.multiply(BigDecimal.TEN).setScale(2, java.math.RoundingMode.HALF_EVEN).compareTo(total),
                "total is ten hours of the unit prices: " + perHour + " x 10 vs " + total);
        String id = quote.path("id");
        assertEquals(1, sql.number("SELECT count(*) FROM quote WHERE id = ?", UUID.fromString(id)));
        // stored as a reference to its price sheet (QuoteSheetReferenceTest), read back with the same breakdown
        assertEquals(1, sql.number("SELECT count(*) FROM quote WHERE id = ? AND price_sheet_id IS NOT NULL",
                UUID.fromString(id)));
        get(sponsor, "/api/v1/quotes/" + id).statusCode(200).body("total.amount", equalTo(total.toPlainString()))
                .body("breakdown", equalTo(quote.path("breakdown")));
    }

    @Test
    void quoteNearAPointPicksTheCheapestServerWithRoom() {
        // Fill most of the near server so congestion makes it dearer than the idle one further away.
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(14).memoryMib(1024).diskGib(10).hours(2).maxPerHour("100"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        post(sponsor, "/api/v1/quotes", Map.of("near", Map.of("latitude", here.latitude(), "longitude",
                        here.longitude(), "withinKm", 200),
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 1))
                .statusCode(201)
                .body("serverId", equalTo(farServer));
    }

    @Test
    void reservedBidWithinItsMaxBecomesALeaseThatBothSidesSee() {
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(2).memoryMib(4096).diskGib(20).hours(24).maxPerHour("5.00"))
                .statusCode(201)
                .body("state", equalTo("MATCHED"))
                .body("leaseId", notNullValue())
                .body("stateReason", containsString("Matched to server"))
                .extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + bidId).statusCode(200).extract().path("leaseId");

        get(sponsor, "/api/v1/leases").statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(leaseId))
                .body("items[0].serverId", equalTo(nearServer))
                .body("items[0].state", equalTo("PENDING"))
                .body("items[0].policyVersion", notNullValue());
        get(provider, "/api/v1/leases").statusCode(200).body("items.id", equalTo(List.of(leaseId)));
        get(sponsor, "/api/v1/bids").statusCode(200).body("items.id", equalTo(List.of(bidId)))
                .body("items[0].leaseId", equalTo(leaseId));

        TestAccounts.Member stranger = accounts.sponsor("Stranger");
        get(stranger, "/api/v1/leases/" + leaseId).statusCode(404);
        get(stranger, "/api/v1/leases").statusCode(200).body("items", hasSize(0));
        long slots = sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ? AND reserved_vcpus = 2",
                UUID.fromString(nearServer));
        assertTrue(slots == 24 || slots == 25, "a 24 h lease starting now holds 24 or 25 hour slots, held " + slots);
    }

    @Test
    void leaseIsPricedByItsQuoteAndNeverAboveTheMax() {
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(4).memoryMib(8192).diskGib(50).hours(3).maxPerHour("1.00"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + bidId).extract().path("leaseId");
        ExtractableResponse<Response> lease = get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).extract();
        String quoteId = lease.path("quoteId");
        BigDecimal leasePrice = new BigDecimal(lease.path("pricePerHour.amount").toString());
        assertTrue(leasePrice.compareTo(new BigDecimal("1.00")) <= 0, "price " + leasePrice + " within max");
        get(sponsor, "/api/v1/quotes/" + quoteId).statusCode(200)
                .body("policyVersion", equalTo(lease.path("policyVersion")))
                .body("pricePerHour.amount", org.hamcrest.Matchers.notNullValue());
        assertEquals(0, leasePrice.compareTo(new BigDecimal(
                get(sponsor, "/api/v1/quotes/" + quoteId).extract().path("pricePerHour.amount").toString())));
    }

    @Test
    void bidAboveEveryPriceStaysOpenAndSaysWhy() {
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(2).memoryMib(4096).diskGib(20).hours(24).maxPerHour("0.000001"))
                .statusCode(201)
                .body("state", equalTo("OPEN"))
                .body("leaseId", nullValue())
                .body("stateReason", containsString("above your max"));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstBidAndMakesNoSecondLease() {
        Map<String, Object> body = BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(2).maxPerHour("5.00");
        String first = RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(body).post("/api/v1/bids")
                .then().statusCode(201).extract().path("id");
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(body).post("/api/v1/bids")
                .then().statusCode(201).header("Idempotent-Replayed", equalTo("true")).body("id", equalTo(first));
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(2).memoryMib(1024).diskGib(10).hours(2).maxPerHour("5.00"))
                .post("/api/v1/bids")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void providerListsItsOwnServersPageByPage() {
        get(provider, "/api/v1/servers?limit=1").statusCode(200)
                .body("items.id", equalTo(List.of(nearServer)))
                .body("next", equalTo(nearServer));
        get(provider, "/api/v1/servers?limit=1&after=" + nearServer).statusCode(200)
                .body("items.id", equalTo(List.of(farServer)));
        get(provider, "/api/v1/servers?limit=5").statusCode(200).body("next", nullValue());
    }
}
