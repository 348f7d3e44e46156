package org.xenomarket.market.clearing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** Nothing is ever matched beyond a server's capacity, whether bids come one by one or all at once. */
@QuarkusTest
class CapacityTest {

    private final TestAccounts accounts;
    private final Sql sql;

    CapacityTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @Test
    void aFullServerTakesNoFurtherLeaseAndTheBidSaysWhy() {
        TestAccounts.Member provider = accounts.provider("Small Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Eager Sponsor");
        Places here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "us-east", here.latitude(), here.longitude()),
                Capacity.vcpus(4).memoryMib(8192).diskGib(100));

        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(3).memoryMib(2048).diskGib(10).hours(5).maxPerHour("50"))
                .statusCode(201).body("state", equalTo("MATCHED"));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(3).memoryMib(2048).diskGib(10).hours(5).maxPerHour("50"))
                .statusCode(201)
                .body("state", equalTo("OPEN"))
                .body("stateReason", containsString("fully booked"));
        // An 8-vCPU server stands there but takes no leases until its node reports in: the bid waits.
        MarketApi.listedServer(provider, MarketApi.site(provider, "us-east", here.latitude(), here.longitude()),
                Capacity.vcpus(8).memoryMib(8192).diskGib(100));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(8).memoryMib(2048).diskGib(10).hours(5).maxPerHour("50"))
                .statusCode(201)
                .body("state", equalTo("OPEN"))
                .body("stateReason", containsString("big enough"));
        // No server there, in any state, has 16 vCPUs: refused outright, naming the largest.
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(16).memoryMib(2048).diskGib(10).hours(5).maxPerHour("50"))
                .statusCode(422)
                .body("errors[0].field", equalTo("resources.vcpus"))
                .body("errors[0].message", containsString("has 8 vCPUs"));
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE sponsor_id = ?", sponsor.accountId()));
        assertEquals(3, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void concurrentBiddersNeverOverbookAServer() throws Exception {
        TestAccounts.Member provider = accounts.provider("Contended Provider");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(6).memoryMib(16384).diskGib(200));
        List<TestAccounts.Member> sponsors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sponsors.add(accounts.sponsor("Racer " + i));
        }

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            TestAccounts.Member sponsor = sponsors.get(i % sponsors.size());
            outcomes.add(pool.submit(() -> RestAssured.given().header("Authorization", sponsor.bearer())
                    .contentType(ContentType.JSON)
                    .body(BidRequest.near(here.latitude(), here.longitude()).withinKm(50).vcpus(1).memoryMib(1024)
                    .diskGib(5).hours(3).maxPerHour("50"))
                    .post("/api/v1/bids").then().statusCode(201).extract().path("state")));
        }
        int matched = 0;
        for (Future<String> outcome : outcomes) {
            matched += "MATCHED".equals(outcome.get()) ? 1 : 0;
        }
        pool.shutdown();

        assertEquals(6, matched, "six 1-vCPU bids fit a 6-vCPU server, whatever the interleaving");
        assertEquals(6, sql.number("SELECT count(*) FROM lease WHERE server_id = ?", UUID.fromString(serverId)));
        assertEquals(0, sql.number("""
                SELECT count(*) FROM capacity_slot
                WHERE reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib
                   OR reserved_disk_gib > capacity_disk_gib"""));
        assertTrue(sql.number("SELECT max(reserved_vcpus) FROM capacity_slot WHERE server_id = ?",
                UUID.fromString(serverId)) == 6);
    }

    @Test
    void theDatabaseItselfRefusesASlotBeyondCapacity() {
        TestAccounts.Member provider = accounts.provider("Guarded Provider");
        Places here = Places.somewhere();
        String serverId = MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(2).memoryMib(4096).diskGib(50));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(3, ChronoUnit.HOURS);
        int h = hour.atOffset(java.time.ZoneOffset.UTC).getHour();
        String overbooked = hoursWith(h, 3);
        SQLException refused = assertThrows(SQLException.class, () -> sql.execute("""
                INSERT INTO capacity_day (server_id, day, capacity_vcpus, capacity_memory_mib,
                    capacity_disk_gib, reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
                VALUES (?, CAST(? AS date), 2, 4096, 50, CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]))""",
                UUID.fromString(serverId), hour.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString(), overbooked,
                hoursWith(h, 0), hoursWith(h, 0)));
        assertEquals("23514", refused.getSQLState(), "a CHECK constraint, not code, refused it");
        SQLException negative = assertThrows(SQLException.class, () -> sql.execute("""
                INSERT INTO capacity_day (server_id, day, capacity_vcpus, capacity_memory_mib,
                    capacity_disk_gib, reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
                VALUES (?, CAST(? AS date), 2, 4096, 50, CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]))""",
                UUID.fromString(serverId), hour.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString(),
                hoursWith(h, -1), hoursWith(h, 0), hoursWith(h, 0)));
        assertEquals("23514", negative.getSQLState(), "nor can an hour hold less than nothing");
        assertEquals(0, sql.number("SELECT count(*) FROM capacity_slot WHERE server_id = ?", UUID.fromString(serverId)));
    }

    /** A day's 24 hours as an array literal: the amount in hour h, nothing in the others. */
    private static String hoursWith(int h, int amount) {
        List<String> hours = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            hours.add(i == h ? Integer.toString(amount) : "0");
        }
        return "{" + String.join(",", hours) + "}";
    }
}
