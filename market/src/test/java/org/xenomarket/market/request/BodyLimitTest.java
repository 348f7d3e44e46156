package org.xenomarket.market.request;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.RawHttp;
import org.xenomarket.market.TestAccounts;

/**
 * Request bodies are bounded per endpoint before they are read: 256 KiB
 * ({@code xenomarket.http.body-limit}) everywhere but usage uploads and policy drafts, which take up to
 * 16 MiB ({@code quarkus.http.limits.max-body-size}). Every refusal is a 413 (or 411 for a body of
 * unknown size) with an RFC 9457 problem body naming {@code body}, never an empty or HTML answer,
 * including the bulk endpoints' own limit; a chunked body, whose size is not known before it is
 * read, is refused everywhere with 411.
 */
@QuarkusTest
class BodyLimitTest {

    private static final int SMALL_LIMIT = 256 * 1024;
    private static final long BULK_LIMIT = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestAccounts accounts;
    private TestAccounts.Member sponsor;

    BodyLimitTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @BeforeEach
    void member() {
        sponsor = accounts.sponsor("Body Limit Sponsor");
    }

    /** A JSON object of exactly {@code size} bytes: a field, then spaces. */
    private static String jsonOfSize(int size) {
        String head = "{\"code\": \"x\"";
        return head + " ".repeat(size - head.length() - 1) + "}";
    }

    private static void assertTooLarge(RawHttp.Answer answer, long limit) throws Exception {
        assertEquals(413, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("https://xenomarket.org/problems/body-too-large", problem.path("type").asText());
        assertEquals(413, problem.path("status").asInt());
        assertEquals("body", problem.path("errors").path(0).path("field").asText());
        assertTrue(problem.path("detail").asText().contains(String.valueOf(limit)), problem.toString());
        assertTrue(answer.header("X-Request-Id") != null, "the refusal carries its request id");
    }

    @Test
    void anOrdinaryEndpointTakesABodyOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
        // At the limit the body is read and judged (a sponsor may not add a site, and this is no site: 400 or 403).
        given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON).body(jsonOfSize(SMALL_LIMIT))
                .post("/api/v1/sites").then().statusCode(oneOf(400, 403));
        byte[] over = jsonOfSize(SMALL_LIMIT + 1).getBytes(StandardCharsets.US_ASCII);
        assertTooLarge(RawHttp.send("POST", "/api/v1/sites", new String[] {"Authorization: " + sponsor.bearer(),
                "Content-Type: application/json", "Content-Length: " + over.length}, out -> out.write(over)), SMALL_LIMIT);
    }

    @Test
    void theDeclaredLengthIsJudgedBeforeAnyOfTheBodyIsSent() throws Exception {
        // Only the headers go: the answer cannot have waited for a gigabyte that never comes.
        assertTooLarge(RawHttp.send("PUT", "/api/v1/sponsors/me/spending-limit", new String[] {
                "Authorization: " + sponsor.bearer(), "Content-Type: application/json",
                "Content-Length: 1073741824"}, RawHttp.nothing()), SMALL_LIMIT);
        // Even without a token: the size is judged first.
        assertTooLarge(RawHttp.send("POST", "/api/v1/sessions", new String[] {"Content-Type: application/json",
                "Content-Length: " + (SMALL_LIMIT + 1)}, RawHttp.nothing()), SMALL_LIMIT);
    }

    @Test
    void aChunkedBodyToAnOrdinaryEndpointIsRefusedWith411() throws Exception {
        RawHttp.Answer answer = RawHttp.send("POST", "/api/v1/quotes", new String[] {
                "Authorization: " + sponsor.bearer(), "Content-Type: application/json", "Transfer-Encoding: chunked"},
                RawHttp.chunked(64, 32, (byte) ' '));
        assertEquals(411, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals("https://xenomarket.org/problems/length-required", JSON.readTree(answer.body()).path("type").asText());
    }

    @Test
    void aBulkEndpointTakesMoreThanTheSmallLimitButRefusesMoreThanItsOwnWithAProblem() throws Exception {
        // Above 256 KiB the usage upload still reads the body and judges it (no usage batch, and a sponsor is no node: 400 or 403).
        given().header("Authorization", sponsor.bearer()).contentType(ContentType.JSON).body(jsonOfSize(SMALL_LIMIT + 1))
                .post("/api/v1/node/usage").then().statusCode(oneOf(400, 403));
        // Above its own 16 MiB, declared: refused before reading, as a problem.
        assertTooLarge(RawHttp.send("POST", "/api/v1/node/usage", new String[] {"Authorization: " + sponsor.bearer(),
                "Content-Type: application/json", "Content-Length: " + (BULK_LIMIT + 1)}, RawHttp.nothing()), BULK_LIMIT);
        assertTooLarge(RawHttp.send("POST", "/api/v1/pricing/policies", new String[] {
                "Authorization: " + sponsor.bearer(), "Content-Type: application/json",
                "Content-Length: " + (BULK_LIMIT + 1)}, RawHttp.nothing()), BULK_LIMIT);
    }

    @Test
    void aChunkedBodyIsRefusedWith411EvenWhereBulkIsTaken() throws Exception {
        // Past its 16 MiB a chunked upload would be cut off mid-read by Quarkus with a bare 413: so none is taken.
        RawHttp.Answer answer = RawHttp.send("POST", "/api/v1/node/usage", new String[] {
                "Authorization: " + sponsor.bearer(), "Content-Type: application/json", "Transfer-Encoding: chunked"},
                RawHttp.chunked(64, 32, (byte) ' '));
        assertEquals(411, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals("body", JSON.readTree(answer.body()).path("errors").path(0).path("field").asText());
        // The market still answers on a new connection.
        given().header("Authorization", sponsor.bearer()).get("/api/v1/accounts/me").then().statusCode(200);
    }
}
