package org.xenomarket.market.clearing.service;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.MarketApi.with;

import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Clearing rounds in the running market on the real PostgreSQL: scheduled rounds (every 2 s in
 * tests) match bids immediate matching left open, higher value first, and only the replica that holds a
 * region's lease clears it.
 */
@QuarkusTest
class ClearingRoundsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TestAccounts accounts;
    private final Sql sql;

    ClearingRoundsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aBidLeftOpenByImmediateMatchingIsMatchedByARoundOnceAServerWithRoomIsThere() {
        TestAccounts.Member provider = accounts.provider("Round Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Patient Sponsor");
        Places here = Places.somewhere();
        Places nearby = here.east(20);
        // listed but with no node yet: the bid is satisfiable, but no active server can take it now
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", nearby.latitude(),
                nearby.longitude()), Capacity.vcpus(8).memoryMib(32768).diskGib(500));
        String bidId = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(2).memoryMib(4096).diskGib(20).hours(5).maxPerHour("0.50"))
                .statusCode(201)
                .body("state", equalTo("OPEN"))
                .body("stateReason", containsString("big enough"))
                .extract().path("id");

        String nodeToken = MarketApi.registerNode(provider, serverId, Capacity.vcpus(8).memoryMib(32768).diskGib(500));
        MarketApi.heartbeat(nodeToken, Capacity.vcpus(8).memoryMib(32768).diskGib(500), List.of()).statusCode(200);

        Map<String, Object> matched = awaitBid(sponsor, bidId, b -> "MATCHED".equals(b.get("state")));
        assertTrue(((String) matched.get("stateReason")).contains("clearing round of eu-west"), matched.toString());
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid AND server_id = ?::uuid",
                bidId, serverId));
        BigDecimal price = BigDecimal.valueOf(sql.number(
                "SELECT (price_per_hour * 1000000)::bigint FROM lease WHERE bid_id = ?::uuid", bidId), 6);
        assertTrue(price.signum() > 0 && price.compareTo(new BigDecimal("0.50")) <= 0, "price " + price);
        // the round booked every hour of the lease in the capacity slots, like an immediate match
        long hours = sql.number("SELECT ceil(extract(epoch FROM end_at - date_trunc('hour', start_at)) / 3600)"
                + " FROM lease WHERE bid_id = ?::uuid", bidId);
        assertTrue(hours >= 5);
        assertEquals(hours, sql.number("SELECT count(*) FROM capacity_slot c JOIN lease l ON l.server_id = c.server_id"
                + " WHERE l.bid_id = ?::uuid AND c.bucket_start >= date_trunc('hour', l.start_at)"
                + " AND c.bucket_start < l.end_at AND c.reserved_vcpus = 2", bidId));
    }

    @Test
    void whenCapacityIsScarceTheHigherValueBidWins() {
        TestAccounts.Member provider = accounts.provider("Scarce Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Competing Sponsor");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        // the lower bid comes first, so only its value can put the other ahead
        String low = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(4).memoryMib(8192).diskGib(20).hours(5).maxPerHour("0.50"))
                .statusCode(201).body("state", equalTo("OPEN")).extract().path("id");
        String high = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(4).memoryMib(8192).diskGib(20).hours(5).maxPerHour("0.90"))
                .statusCode(201).body("state", equalTo("OPEN")).extract().path("id");

        String nodeToken = MarketApi.registerNode(provider, serverId, Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        MarketApi.heartbeat(nodeToken, Capacity.vcpus(4).memoryMib(8192).diskGib(100), List.of()).statusCode(200);

        awaitBid(sponsor, high, b -> "MATCHED".equals(b.get("state")));
        Map<String, Object> lost = awaitBid(sponsor, low,
                b -> String.valueOf(b.get("stateReason")).startsWith("Clearing round of eu-west"));
        assertEquals("OPEN", lost.get("state"));
        assertTrue(((String) lost.get("stateReason")).contains("full"), lost.toString());
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", low));
    }

    @Test
    void aBestEffortBidIsLeasedByARoundAtItsDiscountAndPreemptedWhenReservedDemandComes() {
        TestAccounts.Member provider = accounts.provider("Spare Provider");
        TestAccounts.Member patient = accounts.sponsor("Best-Effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Reserved Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(100));

        String bestEffort = post(patient, "/api/v1/bids", with(
                BidRequest.near(here.latitude(), here.longitude()).withinKm(50).vcpus(4).memoryMib(8192).diskGib(20)
                        .hours(5).maxPerHour("5.00"),
                "serviceClass", "BEST_EFFORT"))
                .statusCode(201).body("state", MarketApi.openOrTakenByRound()).extract().path("id");
        awaitBid(patient, bestEffort, b -> "MATCHED".equals(b.get("state")));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid AND service_class = 'BEST_EFFORT'"
                + " AND preempted_at IS NULL", bestEffort));

        // the whole server is the best-effort lease's now: a reserved bid takes it back, with notice
        String reserved = post(urgent, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(4).memoryMib(8192).diskGib(20).hours(5).maxPerHour("5.00"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid AND preempted_at IS NOT NULL"
                + " AND end_at <= preempted_at + interval '5 seconds'", bestEffort));
        // the best-effort class is priced below the reserved one on the same server and size
        assertTrue(sql.number("SELECT (price_per_hour * 1000000)::bigint FROM lease WHERE bid_id = ?::uuid", bestEffort)
                < sql.number("SELECT (price_per_hour * 1000000)::bigint FROM lease WHERE bid_id = ?::uuid", reserved));
        // and the hourly slots never hold more than the server has
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot c JOIN lease l ON l.server_id = c.server_id"
                + " WHERE l.bid_id = ?::uuid AND c.reserved_vcpus > c.capacity_vcpus", reserved));
    }

    @Test
    void aRoundOfARegionAnotherReplicaHoldsIsSkipped() throws Exception {
        TestAccounts.Member operator = accounts.operator("Round Operator");
        String region = "held-" + UUID.randomUUID().toString().substring(0, 8);
        UUID otherReplica = UUID.randomUUID();
        // another replica's lease on the region, made with it so that this market's replica cannot take it first
        sql.execute("""
                WITH r AS (INSERT INTO region (code, name) VALUES (?, 'Held elsewhere') RETURNING code)
                INSERT INTO region_lease (region, owner, epoch, acquired_at, expires_at)
                SELECT code, ?, 1, now(), now() + interval '10 minutes' FROM r""", region, otherReplica);
        post(operator, "/api/v1/clearing/rounds/" + region, Map.of())
                .statusCode(200)
                .body("region", equalTo(region))
                .body("ran", equalTo(false));
        assertEquals(1, sql.number("SELECT epoch FROM region_lease WHERE region = ? AND owner = ?", region,
                otherReplica), "the other replica still holds the region");

        // the other replica dies: once its lease lapses, this market takes the region and rounds run here
        sql.execute("UPDATE region_lease SET expires_at = now() WHERE region = ?", region);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            boolean ran = post(operator, "/api/v1/clearing/rounds/" + region, Map.of()).statusCode(200)
                    .extract().<Boolean>path("ran");
            assertTrue(ran, "no round of " + region + " ran once the other replica's lease lapsed");
        });
        assertTrue(sql.number("SELECT epoch FROM region_lease WHERE region = ?", region) >= 2,
                "the takeover moved the epoch on");
    }

    @Test
    void onlyOperatorsRunRoundsAndOnlyOfKnownRegions() {
        TestAccounts.Member operator = accounts.operator("Round Operator");
        TestAccounts.Member sponsor = accounts.sponsor("Curious Sponsor");
        post(sponsor, "/api/v1/clearing/rounds/eu-west", Map.of()).statusCode(403);
        post(operator, "/api/v1/clearing/rounds/xx-nowhere", Map.of()).statusCode(404);
    }

    private static Map<String, Object> awaitBid(TestAccounts.Member sponsor, String bidId,
                                                Predicate<Map<String, Object>> condition) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        try {
            return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.set(get(sponsor, "/api/v1/bids/" + bidId).statusCode(200).extract().jsonPath().getMap(""));
                return last.get();
            }, condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("bid " + bidId + " did not get there in " + PATIENCE + ": " + last.get(), e);
        }
    }
}
