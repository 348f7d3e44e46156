package org.xenomarket.market.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Requests racing for one unique key (a site code, a provider's server name, a server's node):
 * each checks that the key is free, then inserts, so all may pass the check and all but one meet
 * the unique constraint. Those answer 409 problems, as a sequential second request would; not 500.
 */
@QuarkusTest
class UniqueRaceTest {

    private static final int RACERS = 8;

    private final TestAccounts accounts;
    private final Sql sql;

    UniqueRaceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    /** Sends the same request from {@link #RACERS} threads released at once; returns the answers. */
    private static List<Response> race(TestAccounts.Member who, String path, Object body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Callable<Response> send = () -> {
                    start.await(1, TimeUnit.MINUTES);
                    return RestAssured.given().header("Authorization", who.bearer()).contentType(ContentType.JSON)
                            .body(body).post(path);
                };
                answers.add(pool.submit(send));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                responses.add(answer.get(5, TimeUnit.MINUTES));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void oneCreatedTheRestConflict(List<Response> responses, String what) {
        int created = 0;
        for (Response response : responses) {
            int status = response.statusCode();
            assertTrue(status == 201 || status == 409, what + ": 201 or 409, not " + status + ": " + response.asString());
            if (status == 409) {
                assertEquals("application/problem+json", response.contentType(), what);
                assertEquals("https://xenomarket.org/problems/conflict", response.path("type"), what);
            } else {
                created++;
            }
        }
        assertEquals(1, created, what + ": exactly one request created it");
    }

    @Test
    void racingForOneSiteCodeCreatesOneSiteAndAnswersTheRest409() throws Exception {
        TestAccounts.Member provider = accounts.provider("Site Racer");
        String code = "race-" + TestAccounts.unique();
        oneCreatedTheRestConflict(race(provider, "/api/v1/sites", Map.of("code", code, "region", "eu-west",
                "city", "Raceton", "country", "GB", "latitude", 52.0, "longitude", 0.1, "timeZone", "Europe/London")),
                "site " + code);
        assertEquals(1, sql.number("SELECT count(*) FROM site WHERE code = ?", code));
    }

    @Test
    void racingForOneServerNameListsOneServerAndAnswersTheRest409() throws Exception {
        TestAccounts.Member provider = accounts.provider("Server Racer");
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        String name = "race-" + TestAccounts.unique();
        oneCreatedTheRestConflict(race(provider, "/api/v1/servers", Map.of("name", name, "site", site,
                "capacity", Map.of("vcpus", 4, "memoryMib", 8192, "diskGib", 50, "egressMbps", 100),
                "hypervisor", "KVM")), "server " + name);
        assertEquals(1, sql.number("SELECT count(*) FROM server WHERE provider_id = ? AND name = ?",
                provider.accountId(), name));
    }

    @Test
    void racingNodeRegistrationsLeaveOneNodeAndNoServerError() throws Exception {
        TestAccounts.Member provider = accounts.provider("Node Racer");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), Capacity.vcpus(4).memoryMib(8192).diskGib(50));
        List<Response> responses = race(provider, "/api/v1/nodes", Map.of("serverId", serverId,
                "publicKey", MarketApi.freshPublicKey(), "hypervisor", "KVM",
                "capacity", Map.of("vcpus", 4, "memoryMib", 8192, "diskGib", 50)));
        // A registration that comes after another has committed re-registers (201); one that raced it is 409.
        for (Response response : responses) {
            assertTrue(response.statusCode() == 201 || response.statusCode() == 409,
                    "201 or 409, not " + response.statusCode() + ": " + response.asString());
        }
        assertEquals(1, sql.number("SELECT count(*) FROM node WHERE server_id = ?::uuid", serverId));
    }
}
