package org.xenomarket.market.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Reliability from stored history: offline periods written by the sweep and closed by the next
 * heartbeat, lease outcomes, the score in server views and discovery, and bids' minimum.
 */
@QuarkusTest
class ReliabilityTest {

    private static final double WEEK_HOURS = 168;

    private final TestAccounts accounts;
    private final Sql sql;

    ReliabilityTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void theSweepOpensAnOfflinePeriodAtTheLastHeartbeatAndTheNextHeartbeatClosesIt() throws Exception {
        TestAccounts.Member provider = accounts.provider("Flaky Provider");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), 4, 8192, 100);
        String token = MarketApi.registerNode(provider, serverId, 4, 8192, 100);
        MarketApi.heartbeat(token, 4, 8192, 100, List.of()).statusCode(200);
        UUID id = UUID.fromString(serverId);
        sql.execute("UPDATE server SET created_at = now() - interval '1 day' WHERE id = ?", id);
        sql.execute("UPDATE server SET last_heartbeat_at = now() - interval '11 minutes' WHERE id = ?", id);
        awaitState(provider, serverId, "OFFLINE");

        assertEquals(1, sql.number("SELECT count(*) FROM server_availability a JOIN server s ON s.id = a.server_id "
                + "WHERE a.server_id = ? AND a.online_at IS NULL AND a.offline_from = s.last_heartbeat_at", id));
        // A day watched, eleven minutes of it offline: uptime (21.6 + 24 - 11/60) / 48, not the 0.95 of no outage.
        float whileOffline = get(provider, "/api/v1/servers/" + serverId).statusCode(200)
                .body("reliability.score", notNullValue()).extract().<Float>path("reliability.uptime");
        assertEquals((21.6 + 24 - 11 / 60.0) / 48, whileOffline, 2e-3);

        MarketApi.heartbeat(token, 4, 8192, 100, List.of()).statusCode(200).body("serverState", equalTo("ACTIVE"));
        assertEquals(0, sql.number("SELECT count(*) FROM server_availability WHERE server_id = ? AND online_at IS NULL", id));
        // Closed at the heartbeat, after it opened: about eleven minutes offline.
        long seconds = sql.number("SELECT extract(epoch FROM online_at - offline_from)::bigint FROM server_availability "
                + "WHERE server_id = ?", id);
        assertEquals(660, seconds, 30);
    }

    @Test
    void theScoreFollowsTheFormulaAndIsShownOnTheServerAndInDiscovery() throws Exception {
        TestAccounts.Member provider = accounts.provider("Scored Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Scoring Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String serverId = MarketApi.server(provider, site, 8, 16384, 200);
        UUID id = UUID.fromString(serverId);
        // Listed over a week ago; offline for 84 hours of the last week; three leases ended and one failed there.
        sql.execute("UPDATE server SET created_at = now() - interval '8 days' WHERE id = ?", id);
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '100 hours', now() - interval '16 hours')", id);
        // An older period, wholly before the window, counts for nothing.
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '8 days', now() - interval '7 days 1 hour')", id);
        for (int i = 0; i < 4; i++) {
            String lease = post(sponsor, "/api/v1/bids", MarketApi.bid(here.latitude(), here.longitude(), 1, 1, 512, 1,
                    1, "50")).statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
            sql.execute(i < 3 ? "UPDATE lease SET state = 'ENDED', ended_at = now() WHERE id = ?"
                    : "UPDATE lease SET state = 'FAILED', failed_at = now(), state_reason = 'test' WHERE id = ?",
                    UUID.fromString(lease));
        }
        String fresh = MarketApi.server(provider, site, 8, 16384, 200);
        double uptime = (0.9 * 24 + WEEK_HOURS - 84) / (24 + WEEK_HOURS);
        double leaseSuccess = (0.9 * 4 + 3) / (4 + 3 + 1);
        double expected = ReliabilityFormula.rounded((uptime + leaseSuccess) / 2);

        get(provider, "/api/v1/servers/" + serverId).statusCode(200)
                .body("reliability.score", equalTo((float) expected))
                .body("reliability.uptime", equalTo((float) ReliabilityFormula.rounded(uptime)))
                .body("reliability.endedLeases", equalTo(3))
                .body("reliability.failedLeases", equalTo(1))
                .body("reliability.windowDays", equalTo(7));
        get(provider, "/api/v1/servers/" + fresh).statusCode(200).body("reliability.score", equalTo(0.9f));

        List<Map<String, Object>> found = get(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon="
                + here.longitude() + "&withinKm=5&sort=reliability").statusCode(200).extract().path("$");
        assertEquals(List.of(fresh, serverId), found.stream().map(f -> f.get("id")).toList(),
                "the fresh server (at the prior) ranks above the flaky one");
        assertEquals(expected, score(found.get(1)), 1e-6);
        // The provider's score is the mean of its two servers'.
        double providerMean = ((Number) found.get(1).get("providerReliability")).doubleValue();
        assertEquals(ReliabilityFormula.rounded(((uptime + leaseSuccess) / 2 + 0.9) / 2), providerMean, 2e-3);
        assertEquals(providerMean, ((Number) found.get(0).get("providerReliability")).doubleValue(), 1e-6);

        // Filtering by the minimum leaves the flaky server out.
        List<String> reliable = get(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon="
                + here.longitude() + "&withinKm=5&minReliability=0.8").statusCode(200).extract().path("id");
        assertEquals(List.of(fresh), reliable);
    }

    @Test
    void aBidWithAMinimumReliabilitySkipsLessReliableServersEvenWhenTheyAreCheaper() throws Exception {
        TestAccounts.Member provider = accounts.provider("Mixed Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Picky Sponsor");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "us-east", here.latitude(), here.longitude());
        String flaky = MarketApi.server(provider, site, 8, 16384, 200);
        String solid = MarketApi.server(provider, site, 8, 16384, 200);
        // The solid server costs more: a high floor.
        io.restassured.RestAssured.given().header("Authorization", provider.bearer())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "1.5"))
                .put("/api/v1/servers/" + solid + "/floor-prices").then().statusCode(200);
        // The flaky one was offline for six days of the last week.
        sql.execute("UPDATE server SET created_at = now() - interval '8 days' WHERE id = ?", UUID.fromString(flaky));
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '7 days', now() - interval '1 day')", UUID.fromString(flaky));

        Map<String, Object> picky = new HashMap<>(MarketApi.bid(here.latitude(), here.longitude(), 5, 1, 1024, 5, 1, "50"));
        picky.put("minReliability", 0.8);
        String lease = post(sponsor, "/api/v1/bids", picky).statusCode(201)
                .body("state", equalTo("MATCHED")).body("minReliability", equalTo(0.8f)).extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + lease).statusCode(200).body("serverId", equalTo(solid));

        // Without the minimum, the cheaper (flaky) server wins.
        String cheap = post(sponsor, "/api/v1/bids", MarketApi.bid(here.latitude(), here.longitude(), 5, 1, 1024, 5, 1, "50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + cheap).statusCode(200).body("serverId", equalTo(flaky));

        // Asking for more than any server has leaves the bid open, saying why.
        Map<String, Object> tooPicky = new HashMap<>(picky);
        tooPicky.put("minReliability", 0.99);
        post(sponsor, "/api/v1/bids", tooPicky).statusCode(201).body("state", equalTo("OPEN"))
                .body("stateReason", org.hamcrest.Matchers.containsString("reliability of at least 0.99"));

        Map<String, Object> bad = new HashMap<>(picky);
        bad.put("minReliability", 1.5);
        post(sponsor, "/api/v1/bids", bad).statusCode(400).body("errors[0].field",
                org.hamcrest.Matchers.containsString("minReliability"));
    }

    private static double score(Map<String, Object> view) {
        return ((Number) ((Map<?, ?>) view.get("reliability")).get("score")).doubleValue();
    }

    private static void awaitState(TestAccounts.Member provider, String serverId, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!state.equals(get(provider, "/api/v1/servers/" + serverId).statusCode(200).extract().path("state"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("server " + serverId + " did not become " + state);
            }
            Thread.sleep(200);
        }
    }
}
