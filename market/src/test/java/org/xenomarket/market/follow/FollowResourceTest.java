package org.xenomarket.market.follow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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

/** A lease's follow point: who may move it, what is valid, and how often it may change. */
@QuarkusTest
class FollowResourceTest {

    private final TestAccounts accounts;
    private final Sql sql;

    FollowResourceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    private String leaseOf(TestAccounts.Member sponsor, String provider) {
        Places here = Places.somewhere();
        TestAccounts.Member owner = accounts.provider(provider);
        MarketApi.server(owner, MarketApi.site(owner, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        return post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"))
                .statusCode(201).extract().path("leaseId");
    }

    private static ValidatableResponse put(String bearer, String leaseId, Object body) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/leases/" + leaseId + "/follow").then();
    }

    private static Map<String, Object> point(double lat, double lon, double km) {
        return Map.of("latitude", lat, "longitude", lon, "moveWhenNearerByKm", km);
    }

    @Test
    void theSponsorSetsThePointAndReadsItBack() {
        TestAccounts.Member sponsor = accounts.sponsor("Follow Sponsor");
        String lease = leaseOf(sponsor, "Follow Provider");

        put(sponsor.bearer(), lease, point(48.85, 2.35, 50)).statusCode(200)
                .body("leaseId", equalTo(lease)).body("latitude", equalTo(48.85f))
                .body("moveWhenNearerByKm", equalTo(50.0f)).body("nextUpdateAt", notNullValue());

        get(sponsor, "/api/v1/leases/" + lease + "/follow").statusCode(200).body("longitude", equalTo(2.35f));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE object_id = ? AND action = 'lease.follow'",
                lease));
    }

    @Test
    void aPointOffTheGlobeOrWithoutADistanceIsRefusedNamingTheField() {
        TestAccounts.Member sponsor = accounts.sponsor("Follow Validation Sponsor");
        String lease = leaseOf(sponsor, "Follow Validation Provider");

        put(sponsor.bearer(), lease, point(91, 0, 50)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("latitude")));
        put(sponsor.bearer(), lease, point(0, -180.5, 50)).statusCode(400)
                .body("errors.field", equalTo(List.of("longitude")));
        put(sponsor.bearer(), lease, point(0, 0, 0)).statusCode(400)
                .body("errors.field", equalTo(List.of("moveWhenNearerByKm")));
        put(sponsor.bearer(), lease, Map.of("latitude", 1, "longitude", 2)).statusCode(400)
                .body("errors.field", equalTo(List.of("moveWhenNearerByKm")));
        put(sponsor.bearer(), lease, Map.of("latitude", "north", "longitude", 2, "moveWhenNearerByKm", 5))
                .statusCode(400).body("errors.field", equalTo(List.of("latitude")));
        assertEquals(0, sql.number("SELECT count(*) FROM lease_follow WHERE lease_id = ?", UUID.fromString(lease)));
    }

    @Test
    void aSecondUpdateWithinTheIntervalIs429WithRetryAfterAndChangesNothing() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Follow Rate Sponsor");
        String lease = leaseOf(sponsor, "Follow Rate Provider");
        put(sponsor.bearer(), lease, point(10, 10, 50)).statusCode(200);

        String retryAfter = put(sponsor.bearer(), lease, point(20, 20, 50)).statusCode(429)
                .contentType("application/problem+json").body("errors[0].field", equalTo("updatedAt"))
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 10, retryAfter);
        get(sponsor, "/api/v1/leases/" + lease + "/follow").statusCode(200).body("latitude", equalTo(10.0f));

        // once the interval has passed, the point moves
        sql.execute("UPDATE lease_follow SET updated_at = updated_at - interval '11 seconds' WHERE lease_id = ?",
                UUID.fromString(lease));
        put(sponsor.bearer(), lease, point(20, 20, 50)).statusCode(200).body("latitude", equalTo(20.0f));
    }

    @Test
    void aDeviceTokenMovesItsOwnLeasesPointAndDoesNothingElse() {
        TestAccounts.Member sponsor = accounts.sponsor("Follow Device Sponsor");
        String lease = leaseOf(sponsor, "Follow Device Provider");
        String other = leaseOf(sponsor, "Follow Device Other Provider");
        String device = post(sponsor, "/api/v1/leases/" + lease + "/follow/device-tokens", Map.of("label", "phone"))
                .statusCode(201).body("role", equalTo("device")).body("leaseId", equalTo(lease))
                .body("expiresAt", notNullValue()).extract().path("token");
        String bearer = "Bearer " + device;

        put(bearer, lease, point(1, 2, 30)).statusCode(200);
        given().header("Authorization", bearer).get("/api/v1/leases/" + lease + "/follow").then().statusCode(200)
                .body("latitude", equalTo(1.0f));
        put(bearer, other, point(1, 2, 30)).statusCode(403).contentType("application/problem+json");
        given().header("Authorization", bearer).get("/api/v1/leases/" + lease).then().statusCode(403);
        given().header("Authorization", bearer).get("/api/v1/bids").then().statusCode(403);
        given().header("Authorization", bearer).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/leases/" + lease + "/follow/device-tokens").then().statusCode(403);
        assertEquals(0, sql.number("SELECT count(*) FROM lease_follow WHERE lease_id = ?", UUID.fromString(other)));
    }

    @Test
    void onlyTheLeasesSponsorMayMoveItAndOnlyWhileItIsNotOver() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Follow Owner Sponsor");
        TestAccounts.Member stranger = accounts.sponsor("Follow Stranger Sponsor");
        String lease = leaseOf(sponsor, "Follow Owner Provider");

        put(stranger.bearer(), lease, point(1, 2, 30)).statusCode(404);
        put(sponsor.bearer(), UUID.randomUUID().toString(), point(1, 2, 30)).statusCode(404);
        get(sponsor, "/api/v1/leases/" + lease + "/follow").statusCode(404);

        sql.execute("UPDATE lease SET state = 'ENDED', ended_at = now() WHERE id = ?", UUID.fromString(lease));
        put(sponsor.bearer(), lease, point(1, 2, 30)).statusCode(409).body("errors[0].field", equalTo("state"));
    }
}
