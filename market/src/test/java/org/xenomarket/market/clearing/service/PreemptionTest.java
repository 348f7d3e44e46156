package org.xenomarket.market.clearing.service;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Reserved demand pre-empts best-effort leases (never reserved ones) with a notice (5 s in tests):
 * the pre-empted lease's end moves to the end of the notice, its later hours are given back, the
 * reserved lease begins only after the notice, the slots stay within capacity and equal to what
 * the leases hold, and both the sponsor and the node hear the notice as it commits.
 */
@QuarkusTest
class PreemptionTest {

    /** Slots of the server whose reservations differ from the sum of the leases covering that hour. */
    static final String SLOTS_NOT_MATCHING_LEASES = """
            SELECT count(*) FROM capacity_slot c
            WHERE c.server_id = ?
              AND (c.reserved_vcpus, c.reserved_memory_mib, c.reserved_disk_gib) <> (
                  SELECT coalesce(sum(l.vcpus), 0), coalesce(sum(l.memory_mib), 0), coalesce(sum(l.disk_gib), 0)
                  FROM lease l
                  WHERE l.server_id = c.server_id AND l.state <> 'FAILED' AND l.end_at > l.start_at
                    AND date_trunc('hour', l.start_at) <= c.bucket_start AND c.bucket_start < l.end_at)""";

    static final String SLOTS_OVER_CAPACITY = """
            SELECT count(*) FROM capacity_slot
            WHERE reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib
               OR reserved_disk_gib > capacity_disk_gib""";

    @TestHTTPResource("/api/v1/leases/events")
    URL events;

    private final TestAccounts accounts;
    private final BestEffortLeases bestEffort;
    private final Sql sql;

    PreemptionTest(TestAccounts accounts, BestEffortLeases bestEffort, Sql sql) {
        this.accounts = accounts;
        this.bestEffort = bestEffort;
        this.sql = sql;
    }

    /** A 4-vCPU server near the place, brought into service by its node; returns its id and node token. */
    private String[] server(TestAccounts.Member provider, Places here) {
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        String token = MarketApi.registerNode(provider, serverId, Capacity.vcpus(4).memoryMib(8192).diskGib(100));
        MarketApi.heartbeat(token, Capacity.vcpus(4).memoryMib(8192).diskGib(100), List.of()).statusCode(200);
        return new String[] {serverId, token};
    }

    @Test
    void aReservedBidPreemptsABestEffortLeaseWithNotice() throws Exception {
        TestAccounts.Member provider = accounts.provider("Busy Provider");
        TestAccounts.Member patient = accounts.sponsor("Best-effort Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Reserved Sponsor");
        Places here = Places.somewhere();
        String[] server = server(provider, here);
        UUID serverId = UUID.fromString(server[0]);
        Instant now = Instant.now();
        UUID victim = bestEffort.insert(patient.accountId(), serverId, 4, 4096, 50, now.minus(Duration.ofMinutes(10)),
                now.plus(Duration.ofHours(3)), "0.10");
        EventStream sponsorHears = EventStream.open(events, patient.bearer());
        EventStream nodeHears = EventStream.open(events, "Bearer " + server[1]);

        String bidId = post(urgent, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("50"))
                .statusCode(201)
                .body("state", equalTo("MATCHED"))
                .body("stateReason", containsString("pre-empted"))
                .extract().path("id");
        String leaseId = get(urgent, "/api/v1/bids/" + bidId).extract().path("leaseId");

        Instant preemptedAt = Instant.parse(get(patient, "/api/v1/leases/" + victim).statusCode(200)
                .body("state", equalTo("RUNNING"))
                .body("stateReason", containsString("Pre-empted"))
                .extract().path("preemptedAt"));
        Instant noticeEnd = Instant.parse(get(patient, "/api/v1/leases/" + victim).extract().path("end"));
        assertEquals(Duration.ofSeconds(5), Duration.between(preemptedAt, noticeEnd), "the notice in %test is 5 s");
        Instant reservedStart = Instant.parse(get(urgent, "/api/v1/leases/" + leaseId).extract().path("start"));
        assertFalse(reservedStart.isBefore(noticeEnd), "the reserved guest starts " + reservedStart
                + ", not before the notice ends " + noticeEnd);
        // The victim still runs in the hour its notice ends in, so the reserved lease waits for the next hour.
        assertEquals(noticeEnd.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)), reservedStart);

        assertEquals(0, sql.number(SLOTS_OVER_CAPACITY));
        assertEquals(0, sql.number(SLOTS_NOT_MATCHING_LEASES, serverId), "slots hold exactly what the leases cover");
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ? AND bucket_start > ?"
                + " AND reserved_vcpus <> 2 AND bucket_start < ?", serverId,
                java.sql.Timestamp.from(noticeEnd.truncatedTo(ChronoUnit.HOURS)),
                java.sql.Timestamp.from(reservedStart.plus(Duration.ofHours(2)))),
                "after the notice's hour only the reserved guest holds capacity");
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ? AND bucket_start >= ?"
                + " AND reserved_vcpus <> 0", serverId, java.sql.Timestamp.from(reservedStart.plus(Duration.ofHours(2)))),
                "the best-effort guest's later hours were given back");

        String notice = sponsorHears.await(victim.toString(), Duration.ofSeconds(30));
        assertNotNull(notice, "the best-effort sponsor heard of the pre-emption");
        assertTrue(notice.contains("\"kind\":\"preempt-notice\""), notice);
        assertTrue(notice.contains("\"preemptedAt\""), notice);
        assertNotNull(nodeHears.await("preempt-notice", Duration.ofSeconds(10)), "the node heard of it");

        given(server[1]).get("/api/v1/node/leases").then().statusCode(200)
                .body("find { it.id == '" + victim + "' }.preemptedAt", notNullValue())
                .body("find { it.id == '" + victim + "' }.end", equalTo(get(patient, "/api/v1/leases/" + victim)
                        .extract().path("end")));
        given(server[1]).body(Map.of("state", "ENDED")).post("/api/v1/node/leases/" + victim + "/state")
                .then().statusCode(200).body("state", equalTo("PREEMPTED"));
        get(patient, "/api/v1/leases/" + victim).statusCode(200).body("state", equalTo("PREEMPTED"))
                .body("endedAt", notNullValue());
        assertNotNull(sponsorHears.await("\"state\":\"PREEMPTED\"", Duration.ofSeconds(10)));
    }

    @Test
    void aReservedBidNeverPreemptsAnotherReservedLease() {
        TestAccounts.Member provider = accounts.provider("Booked Provider");
        TestAccounts.Member first = accounts.sponsor("First Reserved");
        TestAccounts.Member second = accounts.sponsor("Second Reserved");
        Places here = Places.somewhere();
        UUID serverId = UUID.fromString(server(provider, here)[0]);

        String firstLease = post(first, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(4).memoryMib(4096).diskGib(20).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        post(second, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(2).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("OPEN")).body("stateReason", containsString("fully booked"));

        get(first, "/api/v1/leases/" + firstLease).statusCode(200).body("preemptedAt", nullValue());
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND preempted_at IS NOT NULL",
                serverId));
        assertEquals(0, sql.number(SLOTS_NOT_MATCHING_LEASES, serverId));
    }

    @Test
    void theCheapestBestEffortLeaseGoesFirstAndTheOthersStay() {
        TestAccounts.Member provider = accounts.provider("Shared Provider");
        TestAccounts.Member patient = accounts.sponsor("Thrifty Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Urgent Sponsor");
        Places here = Places.somewhere();
        UUID serverId = UUID.fromString(server(provider, here)[0]);
        Instant now = Instant.now();
        UUID dear = bestEffort.insert(patient.accountId(), serverId, 2, 2048, 20, now, now.plus(Duration.ofHours(4)), "0.90");
        UUID cheap = bestEffort.insert(patient.accountId(), serverId, 2, 2048, 20, now, now.plus(Duration.ofHours(4)), "0.20");

        post(urgent, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(20)
                .vcpus(2).memoryMib(2048).diskGib(20).hours(1).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED"));

        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL", cheap));
        assertEquals(0, sql.number("SELECT count(*) FROM lease WHERE id = ? AND preempted_at IS NOT NULL", dear));
        assertEquals(0, sql.number(SLOTS_OVER_CAPACITY));
        assertEquals(0, sql.number(SLOTS_NOT_MATCHING_LEASES, serverId));
    }

    @Test
    void aBestEffortLeaseThatWouldOnlyBeginLaterIsPreemptedWholeAndNeverRuns() {
        TestAccounts.Member provider = accounts.provider("Planned Provider");
        TestAccounts.Member patient = accounts.sponsor("Later Sponsor");
        TestAccounts.Member urgent = accounts.sponsor("Now Sponsor");
        Places here = Places.somewhere();
        UUID serverId = UUID.fromString(server(provider, here)[0]);
        Instant nextHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        UUID later = bestEffort.insert(patient.accountId(), serverId, 4, 4096, 50, nextHour.plus(Duration.ofHours(1)),
                nextHour.plus(Duration.ofHours(3)), "0.10");
        Map<String, Object> body = new java.util.HashMap<>(
                BidRequest.near(here.latitude(), here.longitude()).withinKm(20).vcpus(4).memoryMib(4096).diskGib(50)
                        .hours(2).maxPerHour("50"));
        body.put("start", nextHour.toString());

        post(urgent, "/api/v1/bids", body).statusCode(201).body("state", equalTo("MATCHED"));

        get(patient, "/api/v1/leases/" + later).statusCode(200).body("state", equalTo("PREEMPTED"))
                .body("stateReason", containsString("will not run"));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE id = ? AND end_at = start_at", later));
        assertEquals(0, sql.number(SLOTS_OVER_CAPACITY));
        assertEquals(0, sql.number(SLOTS_NOT_MATCHING_LEASES, serverId));
    }

    private static io.restassured.specification.RequestSpecification given(String nodeToken) {
        return RestAssured.given().header("Authorization", "Bearer " + nodeToken).contentType(ContentType.JSON);
    }

}
