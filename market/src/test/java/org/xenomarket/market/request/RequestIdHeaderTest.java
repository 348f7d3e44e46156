package org.xenomarket.market.request;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Every answer carries an X-Request-Id, the client's own when well-formed, and an audited change
 * stores the id its answer carried, so a person can quote it to support.
 */
@QuarkusTest
class RequestIdHeaderTest {

    private static final String HEADER = "X-Request-Id";

    private final TestAccounts accounts;
    private final Sql sql;

    RequestIdHeaderTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void everyAnswerCarriesAnIdProblemsAndUnknownPathsIncluded() {
        TestAccounts.Member sponsor = accounts.sponsor("Request Id Sponsor");
        String ok = get(sponsor, "/api/v1/regions").statusCode(200).extract().header(HEADER);
        String unauthenticated = given().when().get("/api/v1/regions").then().statusCode(401).extract().header(HEADER);
        String badJson = given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON).body("{\"resources\":")
                .when().post("/api/v1/bids").then().statusCode(400).extract().header(HEADER);
        String unknownPath = get(sponsor, "/api/v1/no-such-thing").statusCode(404).extract().header(HEADER);

        for (String id : new String[] {ok, unauthenticated, badJson, unknownPath}) {
            assertTrue(RequestId.isWellFormed(id), "a well-formed id, not " + id);
        }
        assertNotEquals(ok, unauthenticated, "each request gets its own id");
    }

    @Test
    void aWellFormedIdIsEchoedAndAMalformedOneReplaced() {
        TestAccounts.Member sponsor = accounts.sponsor("Request Id Echo");
        String given = "support-" + TestAccounts.unique();
        assertEquals(given, given().header("Authorization", sponsor.bearer()).header(HEADER, given)
                .when().get("/api/v1/regions").then().statusCode(200).extract().header(HEADER));

        String malformed = "bad id; drop table";
        String replaced = given().header("Authorization", sponsor.bearer()).header(HEADER, malformed)
                .when().get("/api/v1/regions").then().statusCode(200).extract().header(HEADER);
        assertNotEquals(malformed, replaced);
        assertTrue(RequestId.isWellFormed(replaced), replaced);

        String tooLong = "x".repeat(129);
        assertNotEquals(tooLong, given().header(HEADER, tooLong).when().get("/api/v1/regions")
                .then().statusCode(401).extract().header(HEADER));
    }

    @Test
    void anAuditedChangeStoresTheIdItsAnswerCarried() {
        TestAccounts.Member provider = accounts.provider("Request Id Provider");
        TestAccounts.Member finance = accounts.create("Request Id Finance", "OPERATOR", "finance");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));

        String given = "floor-change-" + TestAccounts.unique();
        String echoed = changeFloors(provider, serverId, given, "0.2").header(HEADER);
        // Without an id of its own, or with a malformed one, the client still learns the id stored.
        String generated = changeFloors(provider, serverId, null, "0.3").header(HEADER);
        String replaced = changeFloors(provider, serverId, "not ok!", "0.4").header(HEADER);

        assertEquals(given, echoed);
        get(finance, "/api/v1/audit?objectType=server&objectId=" + serverId
                + "&action=server.floor-prices-changed").statusCode(200)
                .body("items.size()", equalTo(3))
                .body("items[0].requestId", equalTo(given))
                .body("items[1].requestId", equalTo(generated))
                .body("items[2].requestId", equalTo(replaced))
                .body("items[0].actorId", equalTo(provider.accountId().toString()));
        assertEquals(1, sql.number("SELECT count(*) FROM audit_event e JOIN api_token t ON t.id = e.actor_token_id"
                + " WHERE e.request_id = ? AND t.account_id = ? AND e.object_id = ?", generated, provider.accountId(),
                serverId), "the event names the token that asked");
    }

    @Test
    void aPolicyActivationStoresTheRequestIdOfItsAnswer() {
        TestAccounts.Member finance = accounts.create("Request Id Policy Finance", "OPERATOR", "finance");
        String previous = get(finance, "/api/v1/pricing/policies").statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("findAll { it.state == 'ACTIVE' }").get(0).get("version").toString();
        String version = "req-id-" + TestAccounts.unique();
        MarketApi.post(finance, "/api/v1/pricing/policies", Map.of("version", version, "note", "request id test"))
                .statusCode(201);
        try {
            String requestId = given().header("Authorization", finance.bearer()).header(HEADER, "activate-" + version)
                    .when().post("/api/v1/pricing/policies/" + version + "/activate")
                    .then().statusCode(200).extract().header(HEADER);

            assertEquals("activate-" + version, requestId);
            assertEquals(1, sql.number("SELECT count(*) FROM audit_event WHERE action = 'policy.activated'"
                    + " AND object_id = ? AND request_id = ?", version, requestId));
        } finally {
            // The same rules and tables, but other tests expect the version they started with.
            MarketApi.post(finance, "/api/v1/pricing/policies/" + previous + "/activate", Map.of()).statusCode(200);
        }
    }

    private static ExtractableResponse<Response> changeFloors(TestAccounts.Member provider, String serverId,
                                                             String requestId, String vcpuHour) {
        var request = given().header("Authorization", provider.bearer()).contentType(ContentType.JSON);
        if (requestId != null) {
            request = request.header(HEADER, requestId);
        }
        return request.body(Map.of("currency", "EUR", "vcpuHour", vcpuHour))
                .when().put("/api/v1/servers/" + serverId + "/floor-prices").then().statusCode(200).extract();
    }
}
