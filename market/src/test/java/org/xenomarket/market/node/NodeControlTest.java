package org.xenomarket.market.node;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.EventStream;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * What the market tells a node agent beyond lease states: its own event stream, the CPU quota
 * and egress cap of each guest, and suspension ordered by the sponsor or an operator.
 */
@QuarkusTest
class NodeControlTest {

    @TestHTTPResource("/api/v1/node/events")
    URL nodeEvents;

    private final TestAccounts accounts;
    private final Sql sql;

    NodeControlTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aNodeHearsOfItsOwnServersLeasesAndSuspensionsOnlyAndItsAssignmentsCarryTheLimits() throws Exception {
        TestAccounts.Member provider = accounts.provider("Controlled Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Controlling Sponsor");
        Places here = Places.somewhere();
        Places elsewhere = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String serverId = MarketApi.listedServer(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200);
        String otherServer = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west",
                elsewhere.latitude(), elsewhere.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String otherToken = MarketApi.registerNode(provider, otherServer, Capacity.vcpus(8).memoryMib(16384)
                .diskGib(200));
        MarketApi.heartbeat(otherToken, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200);
        EventStream mine = EventStream.open(nodeEvents, "Bearer " + token);
        EventStream theirs = EventStream.open(nodeEvents, "Bearer " + otherToken);

        String leaseId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(1).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        String heard = mine.await(leaseId, Duration.ofSeconds(30));
        assertNotNull(heard, "the node heard of its new lease");
        assertTrue(heard.contains("\"state\":\"PENDING\""), heard);
        assertNull(theirs.await(leaseId, Duration.ofSeconds(2)), "another server's node heard nothing");

        // A reserved lease owns its vCPUs; the listed 1000 Mbit/s are shared by vCPUs: 2 of 8 is 250.
        nodeGet(token, "/api/v1/node/leases").statusCode(200)
                .body("find { it.id == '" + leaseId + "' }.cpuQuotaPercent", equalTo(100))
                .body("find { it.id == '" + leaseId + "' }.egressMbps", equalTo(250))
                .body("find { it.id == '" + leaseId + "' }.suspended", equalTo(false));

        post(sponsor, "/api/v1/leases/" + leaseId + "/suspend", Map.of()).statusCode(200)
                .body("suspendedAt", notNullValue());
        assertNotNull(mine.await(leaseId, Duration.ofSeconds(10)), "the node heard of the suspension");
        nodeGet(token, "/api/v1/node/leases").statusCode(200)
                .body("find { it.id == '" + leaseId + "' }.suspended", equalTo(true));
        TestAccounts.Member operator = accounts.operator("Controlling Operator");
        post(operator, "/api/v1/leases/" + leaseId + "/resume", Map.of()).statusCode(200)
                .body("suspendedAt", nullValue());
        assertNotNull(mine.await(leaseId, Duration.ofSeconds(10)), "the node heard of the resumption");
        nodeGet(token, "/api/v1/node/leases").statusCode(200)
                .body("find { it.id == '" + leaseId + "' }.suspended", equalTo(false));
        assertEquals(2, sql.number("SELECT count(*) FROM audit_event WHERE object_id = ? AND action IN "
                + "('lease.suspended', 'lease.resumed')", leaseId));
    }

    @Test
    void onlyTheLeasesSponsorOrAnOperatorMaySuspendItAndOnlyWhileItIsNotOver() throws Exception {
        TestAccounts.Member provider = accounts.provider("Suspension Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Suspension Sponsor");
        TestAccounts.Member stranger = accounts.sponsor("Suspension Stranger");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        String leaseId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"))
                .statusCode(201).extract().path("leaseId");

        post(stranger, "/api/v1/leases/" + leaseId + "/suspend", Map.of()).statusCode(404);
        post(provider, "/api/v1/leases/" + leaseId + "/suspend", Map.of()).statusCode(403);
        post(sponsor, "/api/v1/leases/" + UUID.randomUUID() + "/suspend", Map.of()).statusCode(404);
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("suspendedAt", nullValue());

        sql.execute("UPDATE lease SET state = 'ENDED', ended_at = now() WHERE id = ?", UUID.fromString(leaseId));
        post(sponsor, "/api/v1/leases/" + leaseId + "/suspend", Map.of()).statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("state"));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE id = ? AND suspended_at IS NOT NULL",
                UUID.fromString(leaseId)));
    }

    private static io.restassured.response.ValidatableResponse nodeGet(String token, String path) {
        return RestAssured.given().header("Authorization", "Bearer " + token).when().get(path).then();
    }

}
