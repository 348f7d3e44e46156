package org.xenomarket.market.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.xenomarket.market.MarketApi.get;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
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
 * Every change to capacity, leases and access is in the audit log with its actor and the request id
 * its answer carried, and operators find it with the log's filters, a page at a time.
 */
@QuarkusTest
class AuditCoverageTest {

    private final TestAccounts accounts;
    private final Sql sql;

    AuditCoverageTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    /** A request by the member with a request id of the test's own, to find its audit event by. */
    private static RequestSpecification as(TestAccounts.Member who, String requestId) {
        return given().header("Authorization", who.bearer()).header("X-Request-Id", requestId)
                .contentType(ContentType.JSON);
    }

    private static String requestId(String what) {
        return what + "-" + TestAccounts.unique();
    }

    /** The one audit event the request made (found through the API's requestId filter), as JSON. */
    private static JsonPath eventOf(TestAccounts.Member reader, String requestId, String action) {
        return get(reader, "/api/v1/audit?requestId=" + requestId + "&action=" + action).statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].requestId", equalTo(requestId))
                .extract().jsonPath().setRootPath("items[0]");
    }

    private static void assertActor(JsonPath event, TestAccounts.Member actor, String role) {
        assertEquals(actor.accountId().toString(), event.getString("actorId"), event.prettify());
        assertEquals(role, event.getString("actorRole"), event.prettify());
        assertNotEquals(null, event.getString("actorTokenId"), "the token that asked is named");
    }

    @Test
    void eachChangeToCapacityLeasesAndAccessIsAuditedWithItsActorAndRequestId() throws Exception {
        TestAccounts.Member operator = accounts.operator("Audit Operator");
        TestAccounts.Member provider = accounts.provider("Audited Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Audited Sponsor");
        Places here = Places.somewhere();
        Capacity size = Capacity.vcpus(2).memoryMib(4096).diskGib(50);

        // Sites and servers.
        String siteRequest = requestId("site");
        String site = "site-" + TestAccounts.unique();
        as(provider, siteRequest).body(Map.of("code", site, "region", "eu-west", "city", "Audittown", "country", "GB",
                        "latitude", here.latitude(), "longitude", here.longitude(), "timeZone", "Europe/London"))
                .post("/api/v1/sites").then().statusCode(201);
        assertActor(eventOf(operator, siteRequest, "site.created"), provider, "provider");

        String serverRequest = requestId("server");
        String serverId = as(provider, serverRequest).body(Map.of("name", "srv-" + TestAccounts.unique(), "site", site,
                        "capacity", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 50, "egressMbps", 1000),
                        "hypervisor", "KVM"))
                .post("/api/v1/servers").then().statusCode(201).extract().path("id");
        JsonPath listed = eventOf(operator, serverRequest, "server.listed");
        assertActor(listed, provider, "provider");
        assertEquals(serverId, listed.getString("objectId"));

        // Node registration.
        String nodeRequest = requestId("node");
        String nodeToken = as(provider, nodeRequest).body(Map.of("serverId", serverId,
                        "publicKey", MarketApi.freshPublicKey(), "hypervisor", "KVM",
                        "capacity", Map.of("vcpus", 2, "memoryMib", 4096, "diskGib", 50)))
                .post("/api/v1/nodes").then().statusCode(201).extract().path("token");
        JsonPath registered = eventOf(operator, nodeRequest, "node.registered");
        assertActor(registered, provider, "provider");
        assertEquals("server", registered.getString("objectType"));
        MarketApi.heartbeat(nodeToken, size, List.of()).statusCode(200);

        // Images.
        String imageRequest = requestId("image");
        String image = "audited-" + TestAccounts.unique();
        as(operator, imageRequest).body(Map.of("name", image,
                        "kernel", Map.of("url", "https://images.example.org/" + image + "/vmlinuz", "sha256", "a".repeat(64)),
                        "initrd", Map.of("url", "https://images.example.org/" + image + "/initrd", "sha256", "b".repeat(64))))
                .post("/api/v1/images").then().statusCode(201);
        assertActor(eventOf(operator, imageRequest, "image.added"), operator, "operator");

        // Bids placed and cancelled.
        String placedRequest = requestId("bid");
        String leaseId = as(sponsor, placedRequest).body(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                        .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"))
                .post("/api/v1/bids").then().statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertActor(eventOf(operator, placedRequest, "bid.placed"), sponsor, "sponsor");

        String openBid = as(sponsor, requestId("open-bid")).body(BidRequest.near(here.latitude(), here.longitude())
                        .withinKm(20).vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("0.000001"))
                .post("/api/v1/bids").then().statusCode(201).body("state", equalTo("OPEN")).extract().path("id");
        String cancelRequest = requestId("cancel");
        as(sponsor, cancelRequest).body(Map.of("reason", "changed my mind")).post("/api/v1/bids/" + openBid + "/cancel")
                .then().statusCode(200);
        JsonPath cancelled = eventOf(operator, cancelRequest, "bid.cancelled");
        assertActor(cancelled, sponsor, "sponsor");
        assertEquals(openBid, cancelled.getString("objectId"));

        // A failure report by the node, on its lease.
        String failureRequest = requestId("failure");
        given().header("Authorization", "Bearer " + nodeToken).header("X-Request-Id", failureRequest)
                .contentType(ContentType.JSON).body(Map.of("state", "FAILED", "reason", "disk on fire"))
                .post("/api/v1/node/leases/" + leaseId + "/state").then().statusCode(200);
        JsonPath failed = eventOf(operator, failureRequest, "lease.failed");
        assertEquals("node", failed.getString("actorRole"));
        assertEquals(provider.accountId().toString(), failed.getString("actorId"));
        assertEquals(leaseId, failed.getString("objectId"));
        assertEquals("FAILED", failed.getString("after"));

        // A manual clearing round.
        String roundRequest = requestId("round");
        as(operator, roundRequest).post("/api/v1/clearing/rounds/eu-west").then().statusCode(200);
        JsonPath round = eventOf(operator, roundRequest, "clearing.round-run");
        assertActor(round, operator, "operator");
        assertEquals("eu-west", round.getString("objectId"));

        // Tokens: issued, rotated, revoked.
        String issueRequest = requestId("token");
        String tokenId = as(sponsor, issueRequest).body(Map.of("label", "audited script")).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("id");
        assertActor(eventOf(operator, issueRequest, "token.create"), sponsor, "sponsor");
        String rotateRequest = requestId("rotate");
        String rotatedId = as(sponsor, rotateRequest).body("{}").post("/api/v1/tokens/" + tokenId + "/rotate")
                .then().statusCode(201).extract().path("id");
        JsonPath rotated = eventOf(operator, rotateRequest, "token.rotate");
        assertActor(rotated, sponsor, "sponsor");
        assertEquals(rotatedId, rotated.getString("after"));
        String revokeRequest = requestId("revoke");
        as(sponsor, revokeRequest).delete("/api/v1/tokens/" + rotatedId).then().statusCode(200);
        assertActor(eventOf(operator, revokeRequest, "token.revoke"), sponsor, "sponsor");
    }

    @Test
    void aRefusedSignInIsAuditedWithTheRequestIdOnThePersonOrTheUnknownEmail() throws Exception {
        TestAccounts.Member operator = accounts.operator("Sign-in Watcher");
        TestAccounts.Member sponsor = accounts.sponsor("Guessed Sponsor");
        String email = "guessed-" + TestAccounts.unique() + "@example.org";
        UUID personId = UUID.randomUUID();
        sql.execute("INSERT INTO person (id, account_id, email, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
                personId, sponsor.accountId(), email, "Guessed", "sponsor", BcryptUtil.bcryptHash("the right one", 10));

        String wrongPassword = requestId("sign-in");
        given().header("X-Request-Id", wrongPassword).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "a guess")).post("/api/v1/sessions").then().statusCode(401);
        String unknownEmail = requestId("sign-in");
        String nobody = "nobody-" + TestAccounts.unique() + "@example.org";
        given().header("X-Request-Id", unknownEmail).contentType(ContentType.JSON)
                .body(Map.of("email", nobody, "password", "a guess")).post("/api/v1/sessions").then().statusCode(401);

        JsonPath onPerson = eventOf(operator, wrongPassword, "person.sign-in-refused");
        assertEquals("person", onPerson.getString("objectType"));
        assertEquals(personId.toString(), onPerson.getString("objectId"));
        assertEquals("anonymous", onPerson.getString("actorRole"));
        assertEquals(sponsor.accountId().toString(), onPerson.getString("actorId"));
        JsonPath onEmail = eventOf(operator, unknownEmail, "person.sign-in-refused");
        assertEquals("email", onEmail.getString("objectType"));
        assertEquals(nobody, onEmail.getString("objectId"));
        assertEquals(null, onEmail.getString("actorId"));
    }

    @Test
    void operatorsFilterTheLogByActorActionSubjectAndTimeAPageAtATime() {
        TestAccounts.Member operator = accounts.operator("Filtering Operator");
        TestAccounts.Member sponsor = accounts.sponsor("Busy Token Maker");
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 5; i++) {
            MarketApi.post(sponsor, "/api/v1/tokens", Map.of("label", "script " + i)).statusCode(201);
        }
        String byActor = "/api/v1/audit?actor=" + sponsor.accountId() + "&action=token.create&from=" + before;

        ValidatableResponse first = get(operator, byActor + "&limit=3").statusCode(200)
                .body("items", hasSize(3)).body("items.actorId", everyItem(equalTo(sponsor.accountId().toString())))
                .body("items.action", everyItem(equalTo("token.create"))).body("next", notNullValue());
        String next = first.extract().path("next");
        get(operator, byActor + "&limit=3&after=" + next).statusCode(200)
                .body("items", hasSize(2)).body("next", nullValue());
        get(operator, byActor + "&order=newest&limit=1").statusCode(200)
                .body("items[0].after", equalTo("script 4"));
        get(operator, "/api/v1/audit?actor=" + sponsor.accountId() + "&to=" + before).statusCode(200)
                .body("items", hasSize(0));
        String oneToken = get(operator, byActor + "&limit=1").extract().path("items[0].objectId");
        get(operator, "/api/v1/audit?objectType=api-token&objectId=" + oneToken).statusCode(200)
                .body("items.action", hasItem("token.create"));

        get(operator, "/api/v1/audit?actor=not-an-id").statusCode(400).body("errors[0].field", equalTo("actor"));
        get(operator, "/api/v1/audit?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z").statusCode(400)
                .body("errors[0].field", equalTo("to"));
        get(operator, "/api/v1/audit?requestId=no%20spaces").statusCode(400).body("errors[0].field", equalTo("requestId"));
        get(operator, "/api/v1/audit?from=yesterday").statusCode(400).body("errors[0].field", equalTo("from"));
        get(operator, "/api/v1/audit?limit=abc").statusCode(400).body("errors[0].field", equalTo("limit"));
        get(operator, "/api/v1/audit?order=sideways").statusCode(400).body("errors[0].field", equalTo("order"));
        get(operator, "/api/v1/audit?action=" + "x".repeat(201)).statusCode(400).body("errors[0].field", equalTo("action"));
        get(sponsor, "/api/v1/audit").statusCode(403);
    }
}
