package org.xenomarket.market.node;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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
 * A node agent's conversation with the market over REST, on the real PostgreSQL: registration,
 * heartbeats that bring a server into service, lease assignments, and lease state reports.
 */
@QuarkusTest
class NodeResourceTest {

    private final TestAccounts accounts;
    private final Sql sql;

    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;
    private Places here;
    private String serverId;

    NodeResourceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void listAServer() {
        provider = accounts.provider("Node Provider");
        sponsor = accounts.sponsor("Node Sponsor");
        here = Places.somewhere();
        serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
    }

    @Test
    void aListedServerIsPendingAndNotBookableUntilItsNodeHeartbeats() {
        get(provider, "/api/v1/servers/" + serverId).statusCode(200).body("state", equalTo("PENDING"));
        // Within 1 km: only this test's server stands there (a random point's 50 km once reached another test's).
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(1)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("OPEN"));

        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        get(provider, "/api/v1/servers/" + serverId).statusCode(200).body("state", equalTo("PENDING"));
        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200)
                .body("serverState", equalTo("ACTIVE")).body("stopGuests", hasSize(0));

        get(provider, "/api/v1/servers/" + serverId).statusCode(200).body("state", equalTo("ACTIVE"));
        assertEquals(1, sql.number("SELECT count(*) FROM server WHERE id = ? AND last_heartbeat_at IS NOT NULL",
                UUID.fromString(serverId)));
        assertEquals(8, sql.number("SELECT free_vcpus FROM node WHERE server_id = ?", UUID.fromString(serverId)));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(1)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
    }

    @Test
    void registrationStoresTheKeyAndANodeTokenBoundToTheServer() {
        String key = MarketApi.freshPublicKey();
        String token = post(provider, "/api/v1/nodes", registration(serverId, key, "KVM", 8, 16384, 200))
                .statusCode(201)
                .body("serverId", equalTo(serverId))
                .body("heartbeatIntervalSeconds", equalTo(15))
                .body("nextUsageSequence", equalTo(1))
                .body("token", startsWith("xm_"))
                .extract().path("token");
        assertEquals(1, sql.number("SELECT count(*) FROM node WHERE server_id = ? AND public_key = ?",
                UUID.fromString(serverId), key));
        assertEquals(1, sql.number("""
                SELECT count(*) FROM api_token t JOIN node n ON n.token_id = t.id
                WHERE n.server_id = ? AND t.role = 'node' AND t.server_id = n.server_id AND t.revoked_at IS NULL""",
                UUID.fromString(serverId)));
        // The node token is for the node's endpoints only.
        given().header("Authorization", "Bearer " + token).get("/api/v1/leases").then().statusCode(403);
    }

    @Test
    void registeringAgainRevokesThePreviousNodeToken() {
        String first = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String second = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        assertNotEquals(first, second);
        MarketApi.heartbeat(first, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(401);
        MarketApi.heartbeat(second, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200);
        assertEquals(1, sql.number("SELECT count(*) FROM node WHERE server_id = ?", UUID.fromString(serverId)));
    }

    @Test
    void theNodeRunsItsLeaseThroughStartingAndRunningToEnded() {
        String token = activate();
        String leaseId = matchedLease();
        node(token).get("/api/v1/node/leases").then().statusCode(200)
                .body("id", equalTo(List.of(leaseId)))
                .body("[0].state", equalTo("PENDING"))
                .body("[0].resources.vcpus", equalTo(2))
                .body("[0].resources.memoryMib", equalTo(2048))
                .body("[0].end", notNullValue());

        report(token, leaseId, "STARTING", null).statusCode(200).body("state", equalTo("STARTING"));
        report(token, leaseId, "RUNNING", null).statusCode(200).body("state", equalTo("RUNNING"));
        report(token, leaseId, "RUNNING", null).statusCode(200).body("state", equalTo("RUNNING"));
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200)
                .body("state", equalTo("RUNNING")).body("runningAt", notNullValue());

        report(token, leaseId, "ENDED", null).statusCode(200).body("state", equalTo("ENDED"));
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("endedAt", notNullValue())
                .body("failedAt", nullValue());
        node(token).get("/api/v1/node/leases").then().statusCode(200).body("$", hasSize(0));
        // A guest still reported for the ended lease must be stopped.
        MarketApi.heartbeat(token, Capacity.vcpus(6).memoryMib(14336)
                .diskGib(190), List.of(Map.of("leaseId", leaseId, "state", "RUNNING")))
                .statusCode(200).body("stopGuests", equalTo(List.of(leaseId)));
    }

    @Test
    void aFailureCarriesItsReasonToTheSponsor() {
        String token = activate();
        String leaseId = matchedLease();
        report(token, leaseId, "FAILED", "boot image checksum does not match").statusCode(200);
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("stateReason", equalTo("boot image checksum does not match"))
                .body("failedAt", notNullValue());
    }

    @Test
    void illegalTransitionsAreConflicts() {
        String token = activate();
        String leaseId = matchedLease();
        report(token, leaseId, "ENDED", null).statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItem("state")).body("detail", containsString("PENDING"));
        report(token, leaseId, "FAILED", "no room").statusCode(200);
        report(token, leaseId, "RUNNING", null).statusCode(409).body("errors.field", hasItem("state"));
    }

    @Test
    void aNodeNeitherSeesNorTouchesAnotherServersLeases() {
        String token = activate();
        String ownLease = matchedLease();
        TestAccounts.Member otherProvider = accounts.provider("Other Node Provider");
        Places there = Places.somewhere();
        String otherServer = MarketApi.server(otherProvider, MarketApi.site(otherProvider, "eu-west",
                there.latitude(), there.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String otherLease = post(sponsor, "/api/v1/bids",
                BidRequest.near(there.latitude(), there.longitude()).withinKm(50).vcpus(1).memoryMib(1024).diskGib(5)
                        .hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND server_id = ?",
                UUID.fromString(otherLease), UUID.fromString(otherServer)));

        node(token).get("/api/v1/node/leases").then().statusCode(200).body("id", equalTo(List.of(ownLease)));
        report(token, otherLease, "FAILED", "not mine").statusCode(404).contentType("application/problem+json");
        get(sponsor, "/api/v1/leases/" + otherLease).statusCode(200).body("state", equalTo("PENDING"));
    }

    @Test
    void badInputNamesTheField() {
        rejects(provider, registration(serverId, "not-a-key", "KVM", 8, 16384, 200), 400, "publicKey");
        rejects(provider, registration(serverId, MarketApi.freshPublicKey(), "XEN", 8, 16384, 200), 400, "hypervisor");
        rejects(provider, registration(serverId, MarketApi.freshPublicKey(), "KVM", 4, 16384, 200), 409, "capacity.vcpus");
        rejects(provider, registration(serverId, MarketApi.freshPublicKey(), "KVM", 8, 16384, 0), 400, "capacity.diskGib");
        rejects(provider, registration(UUID.randomUUID().toString(), MarketApi.freshPublicKey(), "KVM", 8, 16384, 200),
                400, "serverId");
        TestAccounts.Member stranger = accounts.provider("Stranger");
        rejects(stranger, registration(serverId, MarketApi.freshPublicKey(), "KVM", 8, 16384, 200), 400, "serverId");
        post(sponsor, "/api/v1/nodes", registration(serverId, MarketApi.freshPublicKey(), "KVM", 8, 16384, 200))
                .statusCode(403);
        assertEquals(0, sql.number("SELECT count(*) FROM node WHERE server_id = ?", UUID.fromString(serverId)));

        String token = activate();
        node(token).contentType(ContentType.JSON).body(Map.of("free", Map.of("vcpus", -1, "memoryMib", 1, "diskGib", 1),
                "guests", List.of())).post("/api/v1/node/heartbeat").then().statusCode(400)
                .body("errors.field", hasItem("free.vcpus"));
        node(token).contentType(ContentType.JSON).body(Map.of("free", Map.of("vcpus", 1, "memoryMib", 1, "diskGib", 1),
                "guests", List.of(Map.of("leaseId", UUID.randomUUID().toString(), "state", "DANCING"))))
                .post("/api/v1/node/heartbeat").then().statusCode(400).body("errors.field", hasItem("guests[0].state"));
        String leaseId = matchedLease();
        report(token, leaseId, "FAILED", null).statusCode(400).body("errors.field", hasItem("reason"));
        report(token, leaseId, "PREEMPTED", null).statusCode(400).body("errors.field", hasItem("state"));
        // A provider's token cannot speak for a node.
        given().header("Authorization", provider.bearer()).get("/api/v1/node/leases").then().statusCode(403);
    }

    private String activate() {
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384)
                .diskGib(200), List.of()).statusCode(200).body("serverState", equalTo("ACTIVE"));
        return token;
    }

    private String matchedLease() {
        return post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
    }

    private static io.restassured.specification.RequestSpecification node(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static ValidatableResponse report(String token, String leaseId, String state, String reason) {
        Map<String, Object> body = reason == null ? Map.of("state", state) : Map.of("state", state, "reason", reason);
        return node(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/node/leases/" + leaseId + "/state").then();
    }

    private static Map<String, Object> registration(String serverId, String key, String hypervisor, int vcpus,
                                                    long memoryMib, long diskGib) {
        return Map.of("serverId", serverId, "publicKey", key, "hypervisor", hypervisor,
                "capacity", Map.of("vcpus", vcpus, "memoryMib", memoryMib, "diskGib", diskGib));
    }

    private static void rejects(TestAccounts.Member who, Map<String, Object> body, int status, String field) {
        post(who, "/api/v1/nodes", body).statusCode(status).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }
}
