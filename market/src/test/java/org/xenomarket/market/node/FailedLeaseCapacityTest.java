package org.xenomarket.market.node;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.bid;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * When a lease fails, whether its node says so or its server goes offline, the hours it will no
 * longer use are given back in the same transaction: the slots hold nothing for it from the hour
 * of the failure on, and another bid can have the room.
 */
@QuarkusTest
class FailedLeaseCapacityTest {

    private static final String HELD_FROM_NOW = """
            SELECT coalesce(sum(reserved_vcpus), 0) FROM capacity_slot
            WHERE server_id = ? AND bucket_start >= date_trunc('hour', now())""";

    private final TestAccounts accounts;
    private final Sql sql;

    FailedLeaseCapacityTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aLeaseItsNodeReportsFailedGivesItsHoursBack() {
        TestAccounts.Member provider = accounts.provider("Failing Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Unlucky Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), 2, 4096, 50);
        String token = MarketApi.registerNode(provider, serverId, 2, 4096, 50);
        MarketApi.heartbeat(token, 2, 4096, 50, List.of()).statusCode(200);
        String leaseId = post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 20, 2, 2048, 10, 3, "50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertTrue(sql.number(HELD_FROM_NOW, UUID.fromString(serverId)) >= 6, "three hours of 2 vCPUs are held");
        post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 20, 2, 2048, 10, 3, "50"))
                .statusCode(201).body("state", equalTo("OPEN"));

        RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("state", "FAILED", "reason", "guest kernel panic"))
                .post("/api/v1/node/leases/" + leaseId + "/state").then().statusCode(200)
                .body("state", equalTo("FAILED"));

        assertEquals(0, sql.number(HELD_FROM_NOW, UUID.fromString(serverId)), "nothing held from the failure's hour on");
        post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 20, 2, 2048, 10, 3, "50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE reserved_vcpus > capacity_vcpus"));
    }

    @Test
    void leasesFailedByTheOfflineSweepGiveTheirHoursBack() throws Exception {
        TestAccounts.Member provider = accounts.provider("Vanishing Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Stranded Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), 4, 8192, 100);
        String token = MarketApi.registerNode(provider, serverId, 4, 8192, 100);
        MarketApi.heartbeat(token, 4, 8192, 100, List.of()).statusCode(200);
        post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 20, 1, 1024, 10, 2, "50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        post(sponsor, "/api/v1/bids", bid(here.latitude(), here.longitude(), 20, 2, 1024, 10, 4, "50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        assertTrue(sql.number(HELD_FROM_NOW, UUID.fromString(serverId)) > 0);

        sql.execute("UPDATE server SET last_heartbeat_at = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(serverId));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!"OFFLINE".equals(get(provider, "/api/v1/servers/" + serverId).extract().path("state"))) {
            assertTrue(Instant.now().isBefore(deadline), "the server went offline in time");
            Thread.sleep(250);
        }

        assertEquals(2, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND state = 'FAILED'",
                UUID.fromString(serverId)));
        assertEquals(0, sql.number(HELD_FROM_NOW, UUID.fromString(serverId)), "nothing held from the failure's hour on");
    }
}
