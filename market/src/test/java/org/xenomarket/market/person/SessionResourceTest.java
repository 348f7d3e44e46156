package org.xenomarket.market.person;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/** People sign in with email and password, get a session token that acts like an API token, and sign out. */
@QuarkusTest
class SessionResourceTest {

    private static final String PASSWORD = "correct horse battery staple";

    private final TestAccounts accounts;
    private final Sql sql;

    SessionResourceTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    private String person(TestAccounts.Member account, String role) throws Exception {
        String email = "someone-" + TestAccounts.unique() + "@example.org";
        sql.execute("INSERT INTO person (id, account_id, email, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
                UUID.randomUUID(), account.accountId(), email, "Some One", role, BcryptUtil.bcryptHash(PASSWORD, 10));
        return email;
    }

    private static ValidatableResponse signIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/v1/sessions").then();
    }

    private static ValidatableResponse as(String token, String method, String path) {
        return given().header("Authorization", "Bearer " + token).request(method, path).then();
    }

    @Test
    void aPersonSignsInActsWithTheTokenOfTheirAccountAndRoleAndSignsOut() throws Exception {
        TestAccounts.Member sponsor = accounts.sponsor("Session Sponsor");
        String email = person(sponsor, "sponsor");

        String token = signIn(email.toUpperCase(), PASSWORD).statusCode(201)
                .body("token", startsWith("xm_")).body("expiresAt", notNullValue())
                .body("person.email", equalTo(email)).body("person.role", equalTo("sponsor"))
                .extract().path("token");
        as(token, "GET", "/api/v1/accounts/me").statusCode(200)
                .body("id", equalTo(sponsor.accountId().toString())).body("role", equalTo("sponsor"));
        as(token, "GET", "/api/v1/sessions/current").statusCode(200).body("email", equalTo(email));

        as(token, "DELETE", "/api/v1/sessions/current").statusCode(204);
        as(token, "GET", "/api/v1/accounts/me").statusCode(401);
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswerInASimilarTime() throws Exception {
        String email = person(accounts.sponsor("Refused Sponsor"), "sponsor");

        long start = System.nanoTime();
        String wrong = signIn(email, "not the password").statusCode(401)
                .contentType("application/problem+json").extract().path("detail");
        Duration wrongTook = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        String unknown = signIn("nobody-" + TestAccounts.unique() + "@example.org", PASSWORD).statusCode(401)
                .extract().path("detail");
        Duration unknownTook = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(wrong, unknown);
        // Both run one bcrypt check; an unknown email that skipped it would answer in a millisecond or two.
        assertTrue(unknownTook.toMillis() > wrongTook.toMillis() / 4,
                "unknown email took " + unknownTook + ", wrong password " + wrongTook);
    }

    @Test
    void aMissingPasswordIsABadRequestNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("email", "a@example.org"))
                .post("/api/v1/sessions").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("password")));
    }

    @Test
    void anExpiredSessionsTokenIsRevokedByTheSweep() throws Exception {
        String email = person(accounts.provider("Expiring Provider"), "provider");
        String token = signIn(email, PASSWORD).statusCode(201).extract().path("token");
        as(token, "GET", "/api/v1/accounts/me").statusCode(200);

        sql.execute("UPDATE person_session SET created_at = now() - interval '9 hours', expires_at = now() - interval '1 hour' "
                + "WHERE person_id = (SELECT id FROM person WHERE email = ?)", email);
        Instant deadline = Instant.now().plusSeconds(15);
        int status = 200;
        while (status == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = as(token, "GET", "/api/v1/accounts/me").extract().statusCode();
        }
        assertEquals(401, status);
    }

    @Test
    void aPersonMakesListsAndRevokesTheirAccountsTokensButNotAnotherAccounts() throws Exception {
        TestAccounts.Member provider = accounts.provider("Token Provider");
        String session = signIn(person(provider, "provider"), PASSWORD).extract().path("token");
        String other = signIn(person(accounts.provider("Other Provider"), "provider"), PASSWORD).extract().path("token");

        var created = given().header("Authorization", "Bearer " + session).contentType(ContentType.JSON)
                .body(Map.of("label", "deploy script")).post("/api/v1/tokens").then().statusCode(201)
                .body("role", equalTo("provider")).body("token", startsWith("xm_")).extract();
        String id = created.path("id");
        String secret = created.path("token");
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200).body("id", equalTo(provider.accountId().toString()));
        as(session, "GET", "/api/v1/tokens").statusCode(200).body("label", hasItem("deploy script"))
                .body("token", not(hasItem(secret)));
        as(other, "GET", "/api/v1/tokens").statusCode(200).body("id", not(hasItem(id)));

        as(other, "DELETE", "/api/v1/tokens/" + id).statusCode(404);
        as(secret, "GET", "/api/v1/accounts/me").statusCode(200);
        as(session, "DELETE", "/api/v1/tokens/" + id).statusCode(200).body("revokedAt", notNullValue());
        as(secret, "GET", "/api/v1/accounts/me").statusCode(401);
    }

    @Test
    void aTokenLabelIsRequired() throws Exception {
        String session = signIn(person(accounts.sponsor("Label Sponsor"), "sponsor"), PASSWORD).extract().path("token");
        given().header("Authorization", "Bearer " + session).contentType(ContentType.JSON)
                .body(Map.of("label", " ")).post("/api/v1/tokens").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("label")));
    }
}
