package org.xenomarket.market.clearing.service;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.MarketApi.with;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.EventStream;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Clearing rounds and pre-emption on the real PostgreSQL: a reserved bid a round leaves open because
 * best-effort leases fill the servers in its reach pre-empts them (with the notice, 5 s in tests),
 * a bounded number of bids per round (2 here), never above its max; and within a round reserved
 * demand is placed before best-effort demand. Rounds run only when a test asks for one (the
 * scheduled ones are an hour apart here), in ap-south, where no other test has servers, so each
 * round's report counts only what the test did.
 */
@QuarkusTest
@TestProfile(RoundPreemptionTest.ManualRounds.class)
class RoundPreemptionTest {

    /** Rounds on demand only, and at most two pre-emption attempts per round. */
    public static class ManualRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xenomarket.clearing.round-interval", "1h",
                    "%test.xenomarket.clearing.round-interval", "1h",
                    "xenomarket.clearing.round-preemptions", "2",
                    "%test.xenomarket.clearing.round-preemptions", "2");
        }
    }

    private static final String REGION = "ap-south";

    @TestHTTPResource("/api/v1/leases/events")
    URL events;

    private final TestAccounts accounts;
    private final BestEffortLeases bestEffort;
    private final Sql sql;

    RoundPreemptionTest(TestAccounts accounts, BestEffortLeases bestEffort, Sql sql) {
        this.accounts = accounts;
        this.bestEffort = bestEffort;
        this.sql = sql;
    }

    /** Servers of earlier runs in the region are silent: offline, as the sweep would take them, so rounds see only this test's. */
    @BeforeEach
    void onlyThisTestsServersAreActiveInTheRegion() throws SQLException {
        sql.execute("UPDATE server SET state = 'OFFLINE' WHERE state = 'ACTIVE'"
                + " AND site_id IN (SELECT id FROM site WHERE region_code = ?)", REGION);
    }

    /** A server listed at the place with its node registered but silent, so still PENDING; returns its id and node token. */
    private static String[] pendingServer(TestAccounts.Member provider, Places here, int vcpus, long memoryMib,
                                          long diskGib) {
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, REGION, here.latitude(),
                here.longitude()), Capacity.vcpus(vcpus).memoryMib(memoryMib).diskGib(diskGib));
        return new String[] {serverId, MarketApi.registerNode(provider, serverId,
                Capacity.vcpus(vcpus).memoryMib(memoryMib).diskGib(diskGib))};
    }

    private static void bringIntoService(String nodeToken, int vcpus, long memoryMib, long diskGib) {
        MarketApi.heartbeat(nodeToken, Capacity.vcpus(vcpus).memoryMib(memoryMib)
                .diskGib(diskGib), List.of()).statusCode(200)
                .body("serverState", equalTo("ACTIVE"));
    }

    /** A reserved bid that no active server could take when it came: it waits OPEN for a round. */
    private static String openBid(TestAccounts.Member sponsor, Map<String, Object> body) {
        return post(sponsor, "/api/v1/bids", body).statusCode(201).body("state", equalTo("OPEN")).extract().path("id");
    }

    private static JsonPath round(TestAccounts.Member operator) {
        return post(operator, "/api/v1/clearing/rounds/" + REGION, Map.of()).statusCode(200)
                .body("ran", equalTo(true)).extract().jsonPath();
    }

    @Test
    void aRoundPreemptsBestEffortLeasesForAReservedBidItLeftOpen() throws Exception {
        awayFromAnHourBoundary();
        TestAccounts.Member provider = accounts.provider("Round Busy Provider");
        TestAccounts.Member patient = accounts.sponsor("Round Best-effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Round Reserved Sponsor");
        TestAccounts.Member operator = accounts.operator("Round Operator");
        Places here = Places.somewhere();
        String[] server = pendingServer(provider, here, 4, 8192, 100);
        UUID serverId = UUID.fromString(server[0]);
        String bidId = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("50"));
        // This hour has room for the reserved guest beside the cheap best-effort one, which still runs in
        // its notice; from the next hour on a dearer best-effort lease fills the rest, so the round finds
        // the server full and pre-empting the cheap one is enough.
        Instant now = Instant.now();
        Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        UUID cheap = bestEffort.insert(patient.accountId(), serverId, 2, 2048, 20, now.minus(Duration.ofMinutes(10)),
                now.plus(Duration.ofHours(3)), "0.10");
        UUID dear = bestEffort.insert(patient.accountId(), serverId, 2, 2048, 20, nextHour,
                nextHour.plus(Duration.ofHours(3)), "0.90");
        EventStream sponsorHears = EventStream.open(events, patient.bearer());
        bringIntoService(server[1], 4, 8192, 100);

        JsonPath report = round(operator);

        assertEquals(1, report.getInt("preemptionsTried"), report.prettify());
        assertEquals(1, report.getInt("matchedByPreemption"), report.prettify());
        assertEquals(1, report.getInt("leasesPreempted"), report.prettify());
        assertEquals(0, report.getInt("placed"), "the round itself found no room: " + report.prettify());
        assertEquals(0, report.getInt("leftOpen"), report.prettify());
        String leaseId = get(urgent, "/api/v1/bids/" + bidId).statusCode(200)
                .body("state", equalTo("MATCHED"))
                .body("stateReason", containsString("Matched by pre-emption in the clearing round of " + REGION))
                .extract().path("leaseId");

        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL"
                + " AND end_at = preempted_at + interval '5 seconds'", cheap), "the notice is 5 s in tests");
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL", dear),
                "pre-empting the cheap lease was enough");
        assertEquals(1, sql.number("SELECT count(*) FROM lease r JOIN lease v ON r.start_at = v.end_at"
                + " WHERE r.id = ?::uuid AND v.id = ? AND r.service_class = 'RESERVED'", leaseId, cheap),
                "the reserved lease starts when the notice ends");
        assertEquals(0, sql.number(PreemptionTest.SLOTS_OVER_CAPACITY));
        assertEquals(0, sql.number(PreemptionTest.SLOTS_NOT_MATCHING_LEASES, serverId),
                "slots hold exactly what the leases cover");

        String notice = sponsorHears.await(cheap.toString(), Duration.ofSeconds(30));
        assertNotNull(notice, "the best-effort sponsor heard of the pre-emption");
        assertTrue(notice.contains("\"kind\":\"preempt-notice\""), notice);
    }

    @Test
    void aReservedBidWhoseMaxIsBelowThePriceDoesNotPreempt() {
        TestAccounts.Member provider = accounts.provider("Round Full Provider");
        TestAccounts.Member patient = accounts.sponsor("Round Settled Sponsor");
        TestAccounts.Member thrifty = accounts.sponsor("Round Thrifty Sponsor");
        TestAccounts.Member operator = accounts.operator("Round Operator");
        Places here = Places.somewhere();
        String[] server = pendingServer(provider, here, 4, 8192, 100);
        UUID serverId = UUID.fromString(server[0]);
        String bidId = openBid(thrifty, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("0.01"));
        Instant now = Instant.now();
        UUID settled = bestEffort.insert(patient.accountId(), serverId, 4, 4096, 50, now.minus(Duration.ofMinutes(10)),
                now.plus(Duration.ofHours(3)), "0.10");
        bringIntoService(server[1], 4, 8192, 100);

        JsonPath report = round(operator);

        assertEquals(1, report.getInt("preemptionsTried"), report.prettify());
        assertEquals(0, report.getInt("matchedByPreemption"), report.prettify());
        assertEquals(0, report.getInt("leasesPreempted"), report.prettify());
        assertEquals(1, report.getInt("leftOpen"), report.prettify());
        get(thrifty, "/api/v1/bids/" + bidId).statusCode(200)
                .body("state", equalTo("OPEN"))
                .body("stateReason", containsString("would not make room within your max"));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL", settled));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", bidId));
        assertEquals(0, sql.number(PreemptionTest.SLOTS_NOT_MATCHING_LEASES, serverId));
    }

    @Test
    void aRoundPreemptsForAtMostItsBoundOfBidsHigherValueFirstAndTheNextRoundForTheRest() {
        TestAccounts.Member provider = accounts.provider("Round Crowded Provider");
        TestAccounts.Member patient = accounts.sponsor("Round Many Best-effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Round Many Reserved Sponsor");
        TestAccounts.Member operator = accounts.operator("Round Operator");
        Places here = Places.somewhere();
        String[] server = pendingServer(provider, here, 8, 16384, 200);
        UUID serverId = UUID.fromString(server[0]);
        String low = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("30"));
        String middle = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("40"));
        String high = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("50"));
        Instant now = Instant.now();
        for (String price : List.of("0.10", "0.20", "0.30", "0.40")) {
            bestEffort.insert(patient.accountId(), serverId, 2, 2048, 20, now.minus(Duration.ofMinutes(10)),
                    now.plus(Duration.ofHours(3)), price);
        }
        bringIntoService(server[1], 8, 16384, 200);

        JsonPath first = round(operator);

        assertEquals(2, first.getInt("preemptionsTried"), "the bound in this profile: " + first.prettify());
        assertEquals(2, first.getInt("matchedByPreemption"), first.prettify());
        assertEquals(2, first.getInt("leasesPreempted"), first.prettify());
        get(urgent, "/api/v1/bids/" + high).statusCode(200).body("state", equalTo("MATCHED"));
        get(urgent, "/api/v1/bids/" + middle).statusCode(200).body("state", equalTo("MATCHED"));
        get(urgent, "/api/v1/bids/" + low).statusCode(200).body("state", equalTo("OPEN"))
                .body("stateReason", containsString("waits for a later round"));
        assertEquals(2, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND preempted_at IS NOT NULL", serverId));

        JsonPath second = round(operator);

        assertEquals(1, second.getInt("preemptionsTried"), second.prettify());
        assertEquals(1, second.getInt("matchedByPreemption"), second.prettify());
        get(urgent, "/api/v1/bids/" + low).statusCode(200).body("state", equalTo("MATCHED"))
                .body("stateReason", containsString("Matched by pre-emption in the clearing round of " + REGION));
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND preempted_at IS NOT NULL", serverId));
        assertEquals(0, sql.number(PreemptionTest.SLOTS_OVER_CAPACITY));
        assertEquals(0, sql.number(PreemptionTest.SLOTS_NOT_MATCHING_LEASES, serverId));
    }

    @Test
    void withinARoundReservedDemandIsPlacedBeforeBestEffortDemandThatOffersMore() {
        TestAccounts.Member provider = accounts.provider("Round Scarce Provider");
        TestAccounts.Member patient = accounts.sponsor("Round Generous Best-effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Round Modest Reserved Sponsor");
        TestAccounts.Member operator = accounts.operator("Round Operator");
        Places here = Places.somewhere();
        String[] server = pendingServer(provider, here, 4, 8192, 100);
        // the best-effort bid offers ten times more, and came first: only its class puts it behind
        String generous = openBid(patient, with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(4).memoryMib(8192).diskGib(20).hours(5).maxPerHour("50"),
                "serviceClass", "BEST_EFFORT"));
        String modest = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(4).memoryMib(8192).diskGib(20).hours(5).maxPerHour("5.00"));
        bringIntoService(server[1], 4, 8192, 100);

        JsonPath report = round(operator);

        assertEquals(1, report.getInt("placed"), report.prettify());
        assertEquals(1, report.getInt("booked"), report.prettify());
        assertEquals(0, report.getInt("preemptionsTried"), "nothing best-effort to take: " + report.prettify());
        assertEquals(1, report.getInt("leftOpen"), report.prettify());
        get(urgent, "/api/v1/bids/" + modest).statusCode(200).body("state", equalTo("MATCHED"))
                .body("stateReason", containsString("clearing round of " + REGION));
        get(patient, "/api/v1/bids/" + generous).statusCode(200).body("state", equalTo("OPEN"))
                .body("stateReason", containsString("full"));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid AND server_id = ?::uuid",
                modest, server[0]));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", generous));
    }

    @Test
    void bestEffortLeasesARoundBooksComeAfterItsPreemptionsAndAreNotTaken() {
        awayFromAnHourBoundary();
        TestAccounts.Member provider = accounts.provider("Round Two-server Provider");
        TestAccounts.Member patient = accounts.sponsor("Round Old Best-effort Sponsor");
        TestAccounts.Member newcomer = accounts.sponsor("Round New Best-effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Round Urgent Sponsor");
        TestAccounts.Member operator = accounts.operator("Round Operator");
        Places here = Places.somewhere();
        String[] big = pendingServer(provider, here, 4, 8192, 100);
        // too small for the reserved bid, big enough for the new best-effort one
        String[] small = pendingServer(provider, here, 1, 2048, 20);
        String reserved = openBid(urgent, BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("50"));
        String fresh = openBid(newcomer, with(BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(2).maxPerHour("50"),
                "serviceClass", "BEST_EFFORT"));
        Instant now = Instant.now();
        UUID old = bestEffort.insert(patient.accountId(), UUID.fromString(big[0]), 4, 4096, 50,
                now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofHours(3)), "0.10");
        bringIntoService(big[1], 4, 8192, 100);
        bringIntoService(small[1], 1, 2048, 20);

        JsonPath report = round(operator);

        assertEquals(1, report.getInt("matchedByPreemption"), report.prettify());
        assertEquals(1, report.getInt("leasesPreempted"), "only the old lease: " + report.prettify());
        assertEquals(1, report.getInt("booked"), "the new best-effort bid: " + report.prettify());
        get(urgent, "/api/v1/bids/" + reserved).statusCode(200).body("state", equalTo("MATCHED"));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL", old));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid AND server_id = ?::uuid"
                + " AND preempted_at IS NULL", fresh, small[0]));
        assertEquals(0, sql.number(PreemptionTest.SLOTS_OVER_CAPACITY));
    }

    /**
     * Whether the reserved lease can begin right when the notice ends depends on the hour the notice
     * ends in; a test that builds its leases around this hour waits out the last 2 minutes of it.
     */
    private static void awayFromAnHourBoundary() {
        Instant now = Instant.now();
        Duration left = Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
        if (left.compareTo(Duration.ofMinutes(2)) < 0) {
            try {
                Thread.sleep(left.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
