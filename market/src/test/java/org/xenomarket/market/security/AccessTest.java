package org.xenomarket.market.security;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.TestAccounts;

/** Every API call needs a valid token, and a token's role bounds what it may do. */
@QuarkusTest
class AccessTest {

    private final TestAccounts accounts;

    AccessTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void noTokenOrAnUnknownOneIsUnauthenticated() {
        RestAssured.get("/api/v1/leases").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"xenomarket\"");
        RestAssured.given().header("Authorization", "Bearer xm_not_a_token").get("/api/v1/leases").then()
                .statusCode(401).body("detail", equalTo("The API token is unknown or revoked."));
        RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/leases").then()
                .statusCode(401);
    }

    @Test
    void apiDocumentationIsOpenToAll() {
        RestAssured.get("/q/openapi").then().statusCode(200);
    }

    @Test
    void rolesBoundWhatATokenMayDo() {
        TestAccounts.Member sponsor = accounts.sponsor("Nosy Sponsor");
        TestAccounts.Member provider = accounts.provider("Greedy Provider");
        RestAssured.given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "site", "x", "hypervisor", "KVM", "capacity",
                        Map.of("vcpus", 1, "memoryMib", 1, "diskGib", 1, "egressMbps", 1)))
                .post("/api/v1/servers").then().statusCode(403).contentType("application/problem+json");
        RestAssured.given().header("Authorization", provider.bearer()).contentType(ContentType.JSON)
                .body(BidRequest.near(0, 0).withinKm(10).vcpus(1).memoryMib(1024).diskGib(10).hours(1)
                .maxPerHour("1")).post("/api/v1/bids").then().statusCode(403);
        MarketApi.get(provider, "/api/v1/bids").statusCode(403);
        MarketApi.get(sponsor, "/api/v1/accounts/me").statusCode(200)
                .body("name", equalTo(sponsor.name())).body("role", equalTo("sponsor"));
    }
}
