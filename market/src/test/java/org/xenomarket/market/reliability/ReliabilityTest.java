package org.xenomarket.market.reliability;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
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
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        MarketApi.heartbeat(token, Capacity.vcpus(4).memoryMib(8192).diskGib(100), List.of()).statusCode(200);
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

        MarketApi.heartbeat(token, Capacity.vcpus(4).memoryMib(8192)
                .diskGib(100), List.of()).statusCode(200).body("serverState", equalTo("ACTIVE"));
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
        String serverId = MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        UUID id = UUID.fromString(serverId);
        // Listed over a week ago; offline for 84 hours of the last week; three leases ended and one failed there.
        sql.execute("UPDATE server SET created_at = now() - interval '8 days' WHERE id = ?", id);
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '100 hours', now() - interval '16 hours')", id);
        // An older period, wholly before the window, counts for nothing.
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '8 days', now() - interval '7 days 1 hour')", id);
        for (int i = 0; i < 4; i++) {
            String lease = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(1)
                    .vcpus(1).memoryMib(512).diskGib(1).hours(1).maxPerHour("50"))
                    .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
            sql.execute(i < 3 ? "UPDATE lease SET state = 'ENDED', ended_at = now() WHERE id = ?"
                    : "UPDATE lease SET state = 'FAILED', failed_at = now(), state_reason = 'test' WHERE id = ?",
                    UUID.fromString(lease));
        }
        String fresh = MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
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
        String flaky = MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String solid = MarketApi.server(provider, site, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        // The solid server costs more: a high floor.
        io.restassured.RestAssured.given().header("Authorization", provider.bearer())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "1.5"))
                .put("/api/v1/servers/" + solid + "/floor-prices").then().statusCode(200);
        // The flaky one was offline for six days of the last week.
        sql.execute("UPDATE server SET created_at = now() - interval '8 days' WHERE id = ?", UUID.fromString(flaky));
        sql.execute("INSERT INTO server_availability (server_id, offline_from, online_at) "
                + "VALUES (?, now() - interval '7 days', now() - interval '1 day')", UUID.fromString(flaky));

        Map<String, Object> picky = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(5)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"));
        picky.put("minReliability", 0.8);
        String lease = post(sponsor, "/api/v1/bids", picky).statusCode(201)
                .body("state", equalTo("MATCHED")).body("minReliability", equalTo(0.8f)).extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + lease).statusCode(200).body("serverId", equalTo(solid));

        // Without the minimum, the cheaper (flaky) server wins.
        String cheap = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(5)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("50"))
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

    @Test
    void aLeaseFailedByTheCatalogueImageItsBidNamedDoesNotCountAgainstTheServer() throws Exception {
        TestAccounts.Member operator = accounts.operator("Image Blame Operator");
        TestAccounts.Member provider = accounts.provider("Blameless Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Broken Image Sponsor");
        String image = "broken-" + TestAccounts.unique();
        post(operator, "/api/v1/images", Map.of("name", image,
                "kernel", Map.of("url", "https://images.example.org/" + image + "/vmlinuz", "sha256", "a".repeat(64)),
                "initrd", Map.of("url", "https://images.example.org/" + image + "/initrd.img", "sha256", "b".repeat(64)),
                "cmdline", "console=ttyS0")).statusCode(201);
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(16384).diskGib(200));
        MarketApi.heartbeat(token, Capacity.vcpus(8).memoryMib(16384).diskGib(200), List.of()).statusCode(200);
        Map<String, Object> withImage = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(5)
                .vcpus(1).memoryMib(512).diskGib(1).hours(1).maxPerHour("50"));
        withImage.put("image", image);
        String imageFailed = post(sponsor, "/api/v1/bids", withImage).statusCode(201).extract().path("leaseId");
        String ran = post(sponsor, "/api/v1/bids", withImage).statusCode(201).extract().path("leaseId");
        String ownImage = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(5)
                .vcpus(1).memoryMib(512).diskGib(1).hours(1).maxPerHour("50"))
                .statusCode(201).extract().path("leaseId");

        report(token, imageFailed, Map.of("state", "STARTING")).statusCode(200);
        report(token, imageFailed, Map.of("state", "FAILED", "cause", "IMAGE", "reason",
                "the guest could not start (IMAGE_CHECKSUM_MISMATCH): image https://images.example.org/x has SHA-256 c..."))
                .statusCode(200).body("state", equalTo("FAILED"));
        // The sponsor sees whose fault it was, beside the reason.
        get(sponsor, "/api/v1/leases/" + imageFailed).statusCode(200).body("state", equalTo("FAILED"))
                .body("failureCause", equalTo("IMAGE"))
                .body("stateReason", org.hamcrest.Matchers.containsString("IMAGE_CHECKSUM_MISMATCH"));

        // A lease booting the server's own image cannot blame the catalogue; refused, nothing changes.
        report(token, ownImage, Map.of("state", "FAILED", "cause", "IMAGE", "reason", "bad checksum"))
                .statusCode(409).body("errors[0].field", equalTo("cause"));
        get(sponsor, "/api/v1/leases/" + ownImage).statusCode(200).body("state", equalTo("PENDING"))
                .body("failureCause", equalTo(null));
        // An agent that reports no cause (older than causes) fails it as the server's fault.
        report(token, ownImage, Map.of("state", "FAILED", "reason", "the guest crashed")).statusCode(200);
        get(sponsor, "/api/v1/leases/" + ownImage).statusCode(200).body("failureCause", equalTo("HOST"));

        // A guest that booted did not fail for its image.
        report(token, ran, Map.of("state", "RUNNING")).statusCode(200);
        report(token, ran, Map.of("state", "FAILED", "cause", "IMAGE", "reason", "bad checksum"))
                .statusCode(409).body("errors[0].field", equalTo("cause"));
        get(sponsor, "/api/v1/leases/" + ran).statusCode(200).body("state", equalTo("RUNNING"));
        // A cause belongs to a failure only, and is one of the known ones.
        report(token, ran, Map.of("state", "ENDING", "cause", "HOST")).statusCode(400)
                .body("errors[0].field", equalTo("cause"));
        report(token, ran, Map.of("state", "FAILED", "cause", "SPONSOR", "reason", "x")).statusCode(400)
                .body("errors[0].field", equalTo("cause"));
        get(sponsor, "/api/v1/leases/" + ran).statusCode(200).body("state", equalTo("RUNNING"));

        // One failure of the server's own, none of the image's: (0.9 * 4 + 0) / (4 + 0 + 1).
        get(provider, "/api/v1/servers/" + serverId).statusCode(200)
                .body("reliability.failedLeases", equalTo(1))
                .body("reliability.leaseSuccess", equalTo((float) ReliabilityFormula.rounded(3.6 / 5)));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND failure_cause = 'IMAGE'",
                UUID.fromString(serverId)));
    }

    private static io.restassured.response.ValidatableResponse report(String nodeToken, String leaseId,
                                                                      Map<String, Object> body) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + nodeToken)
                .contentType(io.restassured.http.ContentType.JSON).body(body)
                .post("/api/v1/node/leases/" + leaseId + "/state").then();
    }

    private static double score(Map<String, Object> view) {
        return ((Number) ((Map<?, ?>) view.get("reliability")).get("score")).doubleValue();
    }

    private static void awaitState(TestAccounts.Member provider, String serverId, String state) {
        await("server " + serverId + " to become " + state).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(get(provider, "/api/v1/servers/" + serverId).statusCode(200)
                        .extract().path("state")));
    }
}
