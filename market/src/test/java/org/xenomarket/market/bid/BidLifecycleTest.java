package org.xenomarket.market.bid;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.with;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * A bid's life: cancelled by its sponsor, expired by the sweep (every second in tests), matched at
 * the earliest start of its window that fits, placed by regions, or waiting for a clearing round
 * when it is best effort.
 */
@QuarkusTest
class BidLifecycleTest {

    private final TestAccounts accounts;
    private final Sql sql;

    BidLifecycleTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void theSponsorCancelsAnOpenBidButNotOneThatBecameALease() {
        TestAccounts.Member provider = accounts.provider("Cancel Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Fickle Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        String open = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("0.000001"))
                .statusCode(201).body("state", equalTo("OPEN")).extract().path("id");
        String matched = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        String leaseId = get(sponsor, "/api/v1/bids/" + matched).extract().path("leaseId");

        post(sponsor, "/api/v1/bids/" + open + "/cancel", Map.of("reason", "found capacity elsewhere"))
                .statusCode(200)
                .body("state", equalTo("CANCELLED"))
                .body("stateReason", equalTo("Cancelled by the sponsor: found capacity elsewhere"))
                .body("closedAt", notNullValue());
        RestAssured.given().header("Authorization", sponsor.bearer()).post("/api/v1/bids/" + open + "/cancel")
                .then().statusCode(200).body("state", equalTo("CANCELLED"));
        post(sponsor, "/api/v1/bids/" + matched + "/cancel", Map.of())
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("became lease " + leaseId));
        post(accounts.sponsor("Other Sponsor"), "/api/v1/bids/" + open + "/cancel", Map.of()).statusCode(404);

        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE id = ? AND state = 'CANCELLED'", UUID.fromString(open)));
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE id = ? AND state = 'MATCHED'", UUID.fromString(matched)));
    }

    @Test
    void anOpenBidExpiresWithAReasonAndCannotBeCancelledAfter() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Late Sponsor");
        TestAccounts.Member provider = accounts.provider("Expiry Provider");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        String id = post(sponsor, "/api/v1/bids", with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("0.000001"),
                "expiresAt", expiresAt.toString()))
                .statusCode(201).body("state", equalTo("OPEN"))
                .body("expiresAt", equalTo(expiresAt.toString())).extract().path("id");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> "EXPIRED".equals(get(sponsor, "/api/v1/bids/" + id).extract().path("state")));
        get(sponsor, "/api/v1/bids/" + id).statusCode(200)
                .body("state", equalTo("EXPIRED"))
                .body("stateReason", containsString("Expired"));
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE id = ? AND closed_at >= expires_at",
                UUID.fromString(id)));
        post(sponsor, "/api/v1/bids/" + id + "/cancel", Map.of()).statusCode(409);
    }

    @Test
    void aBidWithoutExpiryOpensForADayOrUntilItsLatestStart() {
        TestAccounts.Member sponsor = accounts.sponsor("Default Sponsor");
        TestAccounts.Member provider = accounts.provider("Default Provider");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        Instant latest = start.plus(Duration.ofHours(5));
        post(sponsor, "/api/v1/bids", with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("0.000001"),
                "start", start.toString()))
                .statusCode(201).body("expiresAt", equalTo(start.plus(Duration.ofHours(24)).toString()));
        post(sponsor, "/api/v1/bids", with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("0.000001"),
                "start", start.toString(), "latestStart", latest.toString()))
                .statusCode(201).body("expiresAt", equalTo(latest.toString()))
                .body("latestStart", equalTo(latest.toString()));
    }

    @Test
    void aWindowedBidGetsTheEarliestStartWhereItFits() {
        TestAccounts.Member provider = accounts.provider("Window Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Flexible Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        Instant nextHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        // The server is full from now until two hours after the next full hour.
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(3).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        Instant fullUntil = Instant.parse(get(sponsor, "/api/v1/leases").extract().path("items[0].end"));
        Instant freeFrom = fullUntil.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));

        Map<String, Object> strict = BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50");
        post(sponsor, "/api/v1/bids", strict).statusCode(201).body("state", equalTo("OPEN"));
        String windowed = post(sponsor, "/api/v1/bids", with(strict, "latestStart",
                nextHour.plus(Duration.ofHours(6)).toString()))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + windowed).statusCode(200).body("start", equalTo(freeFrom.toString()));
    }

    @Test
    void aBidPlacedByRegionsMatchesAServerThereAndAnUnknownRegionIsNamed() throws Exception {
        String region = "t-" + TestAccounts.unique();
        sql.execute("INSERT INTO region (code, name) VALUES (?, 'Test region')", region);
        TestAccounts.Member provider = accounts.provider("Region Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Region Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, region, here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        Map<String, Object> body = with(BidRequest.near(0, 0).withinKm(1).vcpus(1).memoryMib(1024).diskGib(5).hours(1)
                .maxPerHour("50"),
                "placement", Map.of("regions", List.of(region)));

        String leaseId = post(sponsor, "/api/v1/bids", body)
                .statusCode(201).body("state", equalTo("MATCHED"))
                .body("placement.regions", equalTo(List.of(region)))
                .body("placement.latitude", nullValue())
                .extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + leaseId).body("serverId", equalTo(serverId));

        post(sponsor, "/api/v1/bids", with(body, "placement", Map.of("regions", List.of(region, "atlantis"))))
                .statusCode(400).body("errors[0].field", equalTo("placement.regions[1]"));
        post(sponsor, "/api/v1/bids", with(body, "placement", Map.of("regions", List.of(region), "latitude", 1.0,
                "longitude", 1.0, "withinKm", 5.0)))
                .statusCode(400).body("errors[0].field", equalTo("placement"));
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void aBestEffortBidIsAcceptedAndWaitsForTheNextRound() {
        TestAccounts.Member provider = accounts.provider("Idle Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Patient Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(100));

        var answer = post(sponsor, "/api/v1/bids", with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("50"),
                "serviceClass", "BEST_EFFORT"))
                .statusCode(201)
                .body("serviceClass", equalTo("BEST_EFFORT"));
        if ("OPEN".equals(answer.extract().path("state"))) {
            answer.body("leaseId", nullValue())
                    .body("stateReason", containsString("next round"))
                    .body("stateReason", containsString("best-effort price"));
        } else {
            // a scheduled round (every 2 s here) took it between its commit and its answer, and the answer says so
            answer.body("state", equalTo("MATCHED")).body("leaseId", notNullValue())
                    .body("stateReason", containsString("clearing round"));
        }
        // Placing it booked nothing: a lease, if any, is one a clearing round (running every few seconds
        // in the background) booked since, and says so.
        assertEquals(0, sql.number("SELECT count(*) FROM lease l JOIN bid b ON b.id = l.bid_id WHERE l.sponsor_id = ?"
                + " AND b.state_reason NOT LIKE '%Matched in the clearing round of%'", sponsor.accountId()));
    }

    @Test
    void theIdempotencyKeyCoversTheWindowAndTheExpiry() {
        TestAccounts.Member provider = accounts.provider("Keyed Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Keyed Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        Instant latest = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("0.000001"),
                "latestStart", latest.toString());
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "w-1")
                .contentType(ContentType.JSON).body(body).post("/api/v1/bids").then().statusCode(201);
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "w-1")
                .contentType(ContentType.JSON).body(body).post("/api/v1/bids").then().statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"));
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "w-1")
                .contentType(ContentType.JSON).body(with(body, "latestStart", latest.plusSeconds(60).toString()))
                .post("/api/v1/bids").then().statusCode(422).body("errors[0].field", equalTo("Idempotency-Key"));
        RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", "w-1")
                .contentType(ContentType.JSON).body(with(body, "expiresAt", latest.toString()))
                .post("/api/v1/bids").then().statusCode(422);
        assertEquals(1, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }
}
