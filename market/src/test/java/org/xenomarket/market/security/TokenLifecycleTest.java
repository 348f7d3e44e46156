package org.xenomarket.market.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.EventStream;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Programs' tokens expire, rotate and are revoked through the API, and a token that stops being good
 * (revoked, rotated away or expired) is refused at once and its open event streams are closed.
 */
@QuarkusTest
class TokenLifecycleTest {

    @TestHTTPResource("/api/v1/leases/events")
    URL leaseEvents;

    @TestHTTPResource("/api/v1/node/events")
    URL nodeEvents;

    private final TestAccounts accounts;
    private final Sql sql;

    TokenLifecycleTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    private static ValidatableResponse as(String token, String method, String path) {
        return given().header("Authorization", "Bearer " + token).request(method, path).then();
    }

    /** Rotates a token; the body (how many days the new one is good) is optional, sent here as {@code {}}. */
    private static ValidatableResponse rotate(String token, String id) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/tokens/" + id + "/rotate").then();
    }

    private static ExtractableResponse<Response> issue(TestAccounts.Member member, Map<String, Object> body) {
        return given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tokens").then().statusCode(201).body("token", startsWith("xm_")).extract();
    }

    @Test
    void aTokenExpiresAfterTheDefaultNinetyDaysOrTheDaysAskedForWithinTheMaximum() {
        TestAccounts.Member sponsor = accounts.sponsor("Expiry Sponsor");
        Instant before = Instant.now();

        Instant byDefault = Instant.parse(issue(sponsor, Map.of("label", "default")).path("expiresAt"));
        Instant week = Instant.parse(issue(sponsor, Map.of("label", "a week", "expiresInDays", 7)).path("expiresAt"));

        assertTrue(!byDefault.isBefore(before.plus(Duration.ofDays(90)))
                && byDefault.isBefore(Instant.now().plus(Duration.ofDays(90)).plusSeconds(1)), byDefault.toString());
        assertTrue(!week.isBefore(before.plus(Duration.ofDays(7)))
                && week.isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(1)), week.toString());
        long stored = sql.number("SELECT count(*) FROM api_token WHERE account_id = ? AND label = 'a week'",
                sponsor.accountId());
        given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                .body(Map.of("label", "too long", "expiresInDays", 366)).post("/api/v1/tokens").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("expiresInDays"));
        given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON)
                .body(Map.of("label", "backwards", "expiresInDays", 0)).post("/api/v1/tokens").then()
                .statusCode(400).body("errors.field", hasItem(containsString("expiresInDays")));
        assertEquals(stored, sql.number("SELECT count(*) FROM api_token WHERE account_id = ? AND label IN "
                + "('a week', 'too long', 'backwards')", sponsor.accountId()), "refused tokens are not stored");
    }

    @Test
    void anExpiredTokenIsRefusedWithAProblemSayingSo() throws Exception {
        TestAccounts.Member provider = accounts.provider("Expired Provider");
        var created = issue(provider, Map.of("label", "short-lived"));
        String secret = created.path("token");
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);

        sql.execute("UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' "
                + "WHERE id = ?", UUID.fromString(created.path("id")));

        // Changed in the database, as another instance would: seen once the change is announced.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> as(secret, "GET", "/api/v1/accounts/me").extract().statusCode() == 401);
        as(secret, "GET", "/api/v1/accounts/me").statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://xenomarket.org/problems/not-authenticated"))
                .body("detail", containsString("expired"));
    }

    /**
     * A token once read is answered from memory (no database read per request) until the database
     * announces a change to it: a change made without the announcement (triggers off for that one
     * statement) goes unseen, and the announcement alone makes the token read, and refused, again.
     */
    @Test
    void aKnownTokenIsReadAgainOnlyWhenAChangeToItIsAnnounced() throws Exception {
        TestAccounts.Member provider = accounts.provider("Remembered Provider");
        var created = issue(provider, Map.of("label", "remembered"));
        String secret = created.path("token");
        UUID id = UUID.fromString(created.path("id"));
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);

        sql.execute("DO $$ BEGIN SET LOCAL session_replication_role = replica; "
                + "UPDATE api_token SET revoked_at = now() WHERE id = '" + id + "'; END $$");
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);

        sql.number("SELECT count(*) FROM (SELECT pg_notify('api_token_changed', ?)) n", id.toString());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> as(secret, "GET", "/api/v1/accounts/me").extract().statusCode() == 401);
    }

    @Test
    void aTokenRevokedByAnotherInstanceIsRefusedOnceTheRevocationIsAnnounced() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Elsewhere Revoked Sponsor");
        var created = issue(sponsor, Map.of("label", "revoked elsewhere"));
        String secret = created.path("token");
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);

        sql.execute("UPDATE api_token SET revoked_at = now() WHERE id = ?", UUID.fromString(created.path("id")));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> as(secret, "GET", "/api/v1/accounts/me").extract().statusCode() == 401);
    }

    @Test
    void rotatingGivesANewSecretOnceAndTheOldOneStopsWorkingAtOnce() {
        TestAccounts.Member provider = accounts.provider("Rotating Provider");
        var old = issue(provider, Map.of("label", "deploy script", "expiresInDays", 30));
        String oldId = old.path("id");
        String oldSecret = old.path("token");

        var rotated = given().header("Authorization", "Bearer " + oldSecret).contentType(ContentType.JSON)
                .body(Map.of()).post("/api/v1/tokens/" + oldId + "/rotate").then().statusCode(201)
                .header("Location", containsString("/api/v1/tokens/"))
                .body("token", startsWith("xm_")).body("label", equalTo("deploy script"))
                .body("role", equalTo("provider")).body("replacesTokenId", equalTo(oldId))
                .body("expiresAt", notNullValue()).extract();
        String newSecret = rotated.path("token");
        String newId = rotated.path("id");

        as(oldSecret, "GET", "/api/v1/accounts/me").statusCode(401);
        as(newSecret, "GET", "/api/v1/accounts/me").statusCode(200)
                .body("id", equalTo(provider.accountId().toString()));
        // The new token keeps the old one's 30-day lifetime, and its secret is never listed.
        Instant expires = Instant.parse(rotated.path("expiresAt"));
        assertTrue(expires.isBefore(Instant.now().plus(Duration.ofDays(30)).plusSeconds(5))
                && expires.isAfter(Instant.now().plus(Duration.ofDays(29))), expires.toString());
        String listed = as(newSecret, "GET", "/api/v1/tokens").statusCode(200).extract().asString();
        assertFalse(listed.contains(newSecret), "the list never shows a secret");
        assertTrue(listed.contains(newId) && listed.contains("\"replacesTokenId\":\"" + oldId + "\""), listed);
        // A revoked token cannot be rotated back to life.
        rotate(newSecret, oldId).statusCode(409)
                .body("errors.field", hasItem("id"));
    }

    @Test
    void anotherAccountCannotRotateOrRevokeATokenNorSeeIt() {
        TestAccounts.Member owner = accounts.sponsor("Owner Sponsor");
        TestAccounts.Member stranger = accounts.sponsor("Stranger Sponsor");
        var token = issue(owner, Map.of("label", "mine"));
        String id = token.path("id");

        rotate(stranger.token(), id).statusCode(404);
        as(stranger.token(), "DELETE", "/api/v1/tokens/" + id).statusCode(404);
        as(token.path("token"), "GET", "/api/v1/accounts/me").statusCode(200);
    }

    @Test
    void aSessionsTokenIsNotRotatedButASignInIsAskedFor() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Session Rotating Sponsor");
        String email = "rotator-" + TestAccounts.unique() + "@example.org";
        sql.execute("INSERT INTO person (id, account_id, email, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
                UUID.randomUUID(), sponsor.accountId(), email, "Ro Tator", "sponsor",
                BcryptUtil.bcryptHash("a long enough password", 10));
        var session = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "a long enough password"))
                .post("/api/v1/sessions").then().statusCode(201).extract();
        String sessionToken = session.path("token");
        String sessionId = sql.text("SELECT s.token_id::text FROM person_session s JOIN person p ON p.id = s.person_id "
                + "WHERE p.email = ?", email);

        rotate(sessionToken, sessionId).statusCode(409)
                .body("detail", containsString("sign in again"));
        // The session lists itself as a person's session; a token it makes is a program's, credited to the person.
        issue(new TestAccounts.Member(sponsor.accountId(), sponsor.name(), sessionToken), Map.of("label", "script"));
        as(sessionToken, "GET", "/api/v1/tokens").statusCode(200)
                .body("find { it.id == '" + sessionId + "' }.kind", equalTo("session"))
                .body("find { it.label == 'script' }.kind", equalTo("program"))
                .body("find { it.label == 'script' }.personId", notNullValue());
    }

    @Test
    void revokingATokenClosesItsOpenEventStream() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Streaming Sponsor");
        var token = issue(sponsor, Map.of("label", "watcher"));
        EventStream stream = EventStream.open(leaseEvents, "Bearer " + token.path("token"));
        EventStream untouched = EventStream.open(leaseEvents, sponsor.bearer());
        assertFalse(stream.awaitEnd(Duration.ofSeconds(2)), "the stream stays open while the token is good");

        as(sponsor.token(), "DELETE", "/api/v1/tokens/" + token.path("id")).statusCode(200)
                .body("revokedAt", notNullValue());

        assertTrue(stream.awaitEnd(Duration.ofSeconds(60)), "the revoked token's stream was closed");
        assertFalse(untouched.awaitEnd(Duration.ofSeconds(2)), "another token's stream stays open");
    }

    @Test
    void rotatingATokenClosesTheOldTokensEventStream() throws Exception {
        TestAccounts.Member provider = accounts.provider("Rotating Streamer");
        var token = issue(provider, Map.of("label", "watcher"));
        EventStream stream = EventStream.open(leaseEvents, "Bearer " + token.path("token"));

        rotate(provider.token(), token.path("id")).statusCode(201);

        assertTrue(stream.awaitEnd(Duration.ofSeconds(60)), "the rotated token's stream was closed");
    }

    @Test
    void aNodesReRegistrationRevokesItsOldTokenAndClosesThatTokensNodeEventStream() throws Exception {
        TestAccounts.Member provider = accounts.provider("Re-registering Provider");
        String site = MarketApi.site(provider, "eu-west", 52.2, 0.12);
        Capacity size = Capacity.vcpus(2).memoryMib(2048).diskGib(20);
        String serverId = MarketApi.listedServer(provider, site, size);
        String first = MarketApi.registerNode(provider, serverId, size);
        EventStream stream = EventStream.open(nodeEvents, "Bearer " + first);
        assertFalse(stream.awaitEnd(Duration.ofSeconds(2)), "the node's stream stays open while its token is good");

        String second = MarketApi.registerNode(provider, serverId, size);

        assertTrue(stream.awaitEnd(Duration.ofSeconds(60)), "the replaced node token's stream was closed");
        as(first, "GET", "/api/v1/node/leases").statusCode(401);
        as(second, "GET", "/api/v1/node/leases").statusCode(200);
        EventStream current = EventStream.open(nodeEvents, "Bearer " + second);
        assertFalse(current.awaitEnd(Duration.ofSeconds(2)), "the new token's stream stays open");
    }

    @Test
    void aTokensEventStreamEndsWhenTheTokenExpires() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Expiring Streamer");
        var token = issue(sponsor, Map.of("label", "watcher"));
        sql.execute("UPDATE api_token SET expires_at = now() + interval '8 seconds' WHERE id = ?",
                UUID.fromString(token.path("id")));
        EventStream stream = EventStream.open(leaseEvents, "Bearer " + token.path("token"));

        assertTrue(stream.awaitEnd(Duration.ofSeconds(60)), "the stream ended with its token's expiry");
        as(token.path("token"), "GET", "/api/v1/accounts/me").statusCode(401);
    }
}
