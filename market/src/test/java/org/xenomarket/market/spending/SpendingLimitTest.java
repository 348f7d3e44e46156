package org.xenomarket.market.spending;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

@QuarkusTest
class SpendingLimitTest {

    private final TestAccounts accounts;
    private final Sql sql;

    SpendingLimitTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aBidWhoseWorstCasePassesTheMonthlyLimitIsRefusedSayingTheRoomLeft() {
        TestAccounts.Member provider = accounts.provider("Limited Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Limited Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        put(sponsor, Map.of("amount", "30.00", "currency", "EUR")).statusCode(200)
                .body("monthlyLimit.amount", equalTo("30.00")).body("roomLeft.amount", equalTo("30.00"));

        // Worst case 2 h × 10.00: fits; the lease then commits its own price for those hours.
        String leaseBid = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024)
                .diskGib(1).hours(2).maxPerHour("10"))
                .statusCode(201).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + leaseBid).extract().path("leaseId");
        long committedCents = sql.number("SELECT (price_per_hour * 2 * 100)::bigint FROM lease WHERE id = ?::uuid",
                leaseId);
        String room = get(sponsor, "/api/v1/sponsors/me/spending-limit").statusCode(200).extract().path("roomLeft.amount");
        assertEquals(java.math.BigDecimal.valueOf(3000 - committedCents, 2).toPlainString(), room);

        long bids = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024)
                .diskGib(1).hours(3).maxPerHour("10"))
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/spending-limit-exceeded"))
                .body("errors.field", hasItem("maxPricePerHour"))
                .body("detail", containsString(room + " EUR of room is left"));
        assertEquals(bids, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'spending-limit.set'"
                + " AND object_id = ?", sponsor.accountId().toString()));
    }

    /**
     * Six bids sent at once, each 10.00 EUR at worst and so within a 35.00 EUR limit alone: the limit
     * row lock serialises their checks, so exactly three are stored and the other three are refused
     * saying the 5.00 EUR left. The server is listed but never comes into service, so every stored
     * bid stays OPEN at its worst case and the count that fits does not depend on matching.
     */
    @Test
    void concurrentBidsTogetherNeverPassTheMonthlyLimit() throws Exception {
        TestAccounts.Member provider = accounts.provider("Idle Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Eager Sponsor");
        Places here = Places.somewhere();
        MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(16384).diskGib(100));
        put(sponsor, Map.of("amount", "35.00", "currency", "EUR")).statusCode(200);

        int bids = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(bids);
        List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < bids; i++) {
                answers.add(senders.submit(() -> {
                    start.await();
                    return RestAssured.given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                            .body(BidRequest.near(here.latitude(), here.longitude()).withinKm(10).vcpus(1)
                                    .memoryMib(1024).diskGib(1).hours(1).maxPerHour("10"))
                            .post("/api/v1/bids");
                }));
            }
            start.countDown();
            int accepted = 0;
            int refused = 0;
            for (Future<io.restassured.response.Response> answer : answers) {
                io.restassured.response.Response response = answer.get(5, TimeUnit.MINUTES);
                if (response.statusCode() == 201) {
                    assertEquals("OPEN", response.path("state"));
                    accepted++;
                } else {
                    assertEquals(422, response.statusCode(), response.asString());
                    assertEquals("https://xenomarket.org/problems/spending-limit-exceeded", response.path("type"));
                    org.hamcrest.MatcherAssert.assertThat(response.path("detail"),
                            containsString("5.00 EUR of room is left"));
                    refused++;
                }
            }
            assertEquals(3, accepted, "the bids that fit in 35.00 EUR at 10.00 EUR each");
            assertEquals(3, refused);
        } finally {
            senders.shutdownNow();
        }
        assertEquals(3, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ? AND state = 'OPEN'",
                sponsor.accountId()));
        get(sponsor, "/api/v1/sponsors/me/spending-limit").statusCode(200).body("roomLeft.amount", equalTo("5.00"));
    }

    @Test
    void badLimitsAreRefusedNamingTheField() {
        TestAccounts.Member sponsor = accounts.sponsor("Bad Limit Sponsor");
        put(sponsor, Map.of("amount", "-1", "currency", "EUR")).statusCode(400).body("errors.field", hasItem("amount"));
        put(sponsor, Map.of("amount", "1.001", "currency", "EUR")).statusCode(400).body("errors.field", hasItem("amount"));
        put(sponsor, Map.of("amount", "10", "currency", "USD")).statusCode(400).body("errors.field", hasItem("currency"));
        get(sponsor, "/api/v1/sponsors/me/spending-limit").statusCode(404);
        put(accounts.provider("Limitless Provider"), Map.of("amount", "10", "currency", "EUR")).statusCode(403);
    }

    private static ValidatableResponse put(TestAccounts.Member who, Map<String, Object> body) {
        return RestAssured.given().header("Authorization", who.bearer()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/sponsors/me/spending-limit").then();
    }
}
