package org.xenomarket.market.idempotency;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * A bid placed with an Idempotency-Key, as Stripe treats keys: the first answer is saved and
 * replayed byte for byte (with Idempotent-Replayed: true), even after the bid could no longer be
 * placed; other parameters under the key are 422; a retry while the first still runs is 409; keys
 * are purged after their retention.
 */
@QuarkusTest
class IdempotentBidTest {

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member sponsor;
    private Places here;

    IdempotentBidTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void aServerNearby() {
        TestAccounts.Member provider = accounts.provider("Idempotency Provider");
        sponsor = accounts.sponsor("Idempotency Sponsor");
        here = Places.somewhere();
        MarketApi.server(provider, MarketApi.site(provider, "eu-west", here.latitude(), here.longitude()),
                Capacity.vcpus(16).memoryMib(65536).diskGib(1000));
    }

    private Map<String, Object> bid(int vcpus) {
        return new LinkedHashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(200)
                .vcpus(vcpus).memoryMib(1024).diskGib(10).hours(2).maxPerHour("5.00"));
    }

    private Response place(String key, Object body) {
        return RestAssured.given().header("Authorization", sponsor.bearer()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/bids");
    }

    private long bidsOfSponsor() {
        return sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
    }

    @Test
    void aRetryGetsTheFirstAnswerByteForByteEvenWhenTheBidCouldNoLongerBePlaced() {
        // Expires two seconds from now: once that has passed, the same bid would be refused (expiresAt
        // must be in the future), and was, because the time checks came before the key was looked up.
        Instant expiresAt = Instant.now().plusSeconds(2);
        Map<String, Object> body = bid(1);
        body.put("expiresAt", expiresAt.toString());
        Response first = place("late-1", body);
        first.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(expiresAt.plusSeconds(1)));

        Response retry = place("late-1", body);
        retry.then().statusCode(201).header("Idempotent-Replayed", equalTo("true"))
                .header("Location", equalTo(first.header("Location")));
        assertArrayEquals(first.asByteArray(), retry.asByteArray(), "the first answer, byte for byte");
        assertEquals(1, bidsOfSponsor());
        assertEquals(1, sql.number("SELECT count(*) FROM lease WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void theSameKeyWithOtherParametersIs422AndPlacesNothing() {
        place("k-2", bid(1)).then().statusCode(201);
        place("k-2", bid(2)).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(1, bidsOfSponsor());
    }

    @Test
    void aRetryWhileTheFirstRequestStillRunsIs409() throws SQLException {
        place("in-flight", bid(1)).then().statusCode(201);
        // As if that first request had not answered yet (still matching, say): its key is held, unanswered.
        sql.execute("UPDATE idempotent_request SET state = 'IN_FLIGHT', status = NULL, location = NULL, body = NULL,"
                + " completed_at = NULL, claimed_at = now() WHERE account_id = ? AND key = 'in-flight'",
                sponsor.accountId());
        place("in-flight", bid(1)).then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(1, bidsOfSponsor(), "only the first request placed a bid");
    }

    @Test
    void aKeyWhoseFirstRequestDiedIsTakenOverByARetryWithTheSameParameters() throws SQLException {
        place("orphan-1", bid(1)).then().statusCode(201);
        // The instance that ran it was killed before it answered: claimed three minutes ago, never answered.
        sql.execute("UPDATE idempotent_request SET state = 'IN_FLIGHT', status = NULL, location = NULL, body = NULL,"
                + " completed_at = NULL, claimed_at = now() - interval '3 minutes' WHERE account_id = ?"
                + " AND key = 'orphan-1'", sponsor.accountId());
        place("orphan-1", bid(2)).then().statusCode(422);
        Response retry = place("orphan-1", bid(1));
        retry.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        place("orphan-1", bid(1)).then().statusCode(201).header("Idempotent-Replayed", equalTo("true"));
        assertArrayEquals(retry.asByteArray(), place("orphan-1", bid(1)).asByteArray());
    }

    @Test
    void concurrentRequestsWithOneKeyPlaceOneBidAndAllAnswersAgree() throws Exception {
        Map<String, Object> body = bid(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> place("race-1", body)));
            }
            List<Response> created = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertTrue(response.statusCode() == 201 || response.statusCode() == 409,
                        "201 (first or replayed) or 409 (first still running), not " + response.statusCode());
                if (response.statusCode() == 201) {
                    created.add(response);
                }
            }
            assertTrue(!created.isEmpty());
            for (Response response : created) {
                assertArrayEquals(created.get(0).asByteArray(), response.asByteArray());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, bidsOfSponsor());
        Response late = place("race-1", body);
        late.then().statusCode(201).header("Idempotent-Replayed", equalTo("true"));
    }

    @Test
    void keysAreKeptADayThenPurgedAndTheKeyIsFreeAgain() throws SQLException {
        place("old-1", bid(1)).then().statusCode(201);
        place("young-1", bid(1)).then().statusCode(201);
        sql.execute("UPDATE idempotent_request SET created_at = now() - interval '25 hours' WHERE account_id = ?"
                + " AND key = 'old-1'", sponsor.accountId());
        sql.execute("UPDATE idempotent_request SET created_at = now() - interval '23 hours' WHERE account_id = ?"
                + " AND key = 'young-1'", sponsor.accountId());
        await().atMost(Duration.ofMinutes(2)).until(() -> sql.number("SELECT count(*) FROM idempotent_request"
                + " WHERE account_id = ? AND key = 'old-1'", sponsor.accountId()) == 0);
        assertEquals(1, sql.number("SELECT count(*) FROM idempotent_request WHERE account_id = ? AND key = 'young-1'",
                sponsor.accountId()), "a key younger than 24 hours is kept");
        place("young-1", bid(1)).then().statusCode(201).header("Idempotent-Replayed", equalTo("true"));

        place("old-1", bid(1)).then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(3, bidsOfSponsor(), "a purged key places a new bid");
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheHeader() {
        place("k".repeat(201), bid(1)).then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(0, bidsOfSponsor());
    }
}
