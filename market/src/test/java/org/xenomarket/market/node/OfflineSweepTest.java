package org.xenomarket.market.node;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * The scheduled sweep (every second in tests, timeout 10 minutes): a server whose node has been
 * silent longer than the timeout goes OFFLINE and its leases FAIL with a reason and a time; a
 * fresh heartbeat brings the server back, but not its failed leases.
 */
@QuarkusTest
class OfflineSweepTest {

    private final TestAccounts accounts;
    private final Sql sql;

    OfflineSweepTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void missedHeartbeatsTakeTheServerOfflineAndFailItsLeases() throws Exception {
        TestAccounts.Member provider = accounts.provider("Silent Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Stranded Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200);
        String leaseId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        TestAccounts.Member quietProvider = accounts.provider("Healthy Provider");
        Places there = Places.somewhere();
        String healthyServer = MarketApi.server(quietProvider, MarketApi.site(quietProvider, "eu-west",
                there.latitude(), there.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));

        // The node's last word came eleven minutes ago: beyond the ten-minute timeout.
        sql.execute("UPDATE server SET last_heartbeat_at = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(serverId));
        awaitServerState(provider, serverId, "OFFLINE", Duration.ofSeconds(20));

        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("stateReason", containsString("went offline"))
                .body("failureCause", equalTo("HOST"))
                .body("failedAt", notNullValue());
        get(quietProvider, "/api/v1/servers/" + healthyServer).statusCode(200).body("state", equalTo("ACTIVE"));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("OPEN"));

        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384)
                .diskGib(200), List.of(java.util.Map.of("leaseId", leaseId, "state", "RUNNING")))
                .statusCode(200).body("serverState", equalTo("ACTIVE"))
                .body("stopGuests", equalTo(List.of(leaseId)));
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("state", equalTo("FAILED"));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND failed_at IS NOT NULL",
                UUID.fromString(leaseId)));
    }

    private static void awaitServerState(TestAccounts.Member provider, String serverId, String state,
                                         Duration timeout) {
        await("server " + serverId + " to become " + state).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(get(provider, "/api/v1/servers/" + serverId).statusCode(200)
                        .extract().path("state")));
    }
}
