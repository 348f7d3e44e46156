package org.xenomarket.market.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.RawHttp;
import org.xenomarket.market.TestAccounts;

/**
 * What the API document says each operation may answer is what it answers: requests that provoke
 * the API's problem answers (400 naming the field, 401, 403, 404, 409, 411, 413, 415, 422) go to the
 * running market over HTTP, and each status they get must be declared for that operation in
 * {@code /q/openapi}, with the problem body the declaration promises. A sweep then calls every
 * operation of the document as every role and as nobody, with placeholder ids and an empty JSON
 * body, and fails on any answer the document does not declare for it (and so on any 500).
 * 429 is provoked in RateLimitTest (limits are off in this profile), 413 and 411 in BodyLimitTest too.
 */
@QuarkusTest
class DeclaredAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    /** Reaches Stripe for a sponsor (a Customer is made): no placeholder request says anything of it. */
    private static final Set<String> NOT_SWEPT = Set.of("POST /api/v1/payments/setup-intents");

    private final TestAccounts accounts;
    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;

    DeclaredAnswersTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @BeforeEach
    void members() {
        provider = accounts.provider("Declared Provider");
        sponsor = accounts.sponsor("Declared Sponsor");
    }

    /** The document's operations ("POST /api/v1/sites") and the statuses each declares. */
    private static Map<String, JsonNode> operations() throws Exception {
        String text = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/declared-answers-openapi.json"), text);
        JsonNode document = JSON.readTree(text);
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
                }
            });
        }
        // Each declared problem answer must resolve to a response with the Problem schema.
        JsonNode responses = document.path("components").path("responses");
        operations.forEach((key, operation) -> operation.path("responses").fields().forEachRemaining(r -> {
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                String ref = r.getValue().path("$ref").asText();
                JsonNode response = responses.path(ref.replace("#/components/responses/", ""));
                assertEquals("#/components/schemas/Problem", response.path("content")
                        .path("application/problem+json").path("schema").path("$ref").asText(),
                        key + " " + r.getKey() + " is a problem answer (" + ref + ")");
            }
        }));
        return operations;
    }

    private static Set<String> declared(Map<String, JsonNode> operations, String key) {
        JsonNode operation = operations.get(key);
        assertTrue(operation != null, key + " is in the document");
        Set<String> statuses = new TreeSet<>();
        operation.path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    /** Asserts the answer has the status expected, a problem body of that status, and that the operation declares it. */
    private static void provoked(Map<String, JsonNode> operations, String key, int expected,
                                 ExtractableResponse<Response> answer) {
        assertEquals(expected, answer.statusCode(), key + ": " + answer.asString());
        assertEquals("application/problem+json", answer.contentType().split(";")[0], key + " answers a problem");
        assertEquals(expected, answer.jsonPath().getInt("status"), key + ": the problem's status");
        Set<String> declared = declared(operations, key);
        assertTrue(declared.contains(String.valueOf(expected)),
                key + " answered " + expected + " but declares only " + declared);
    }

    private RequestSpecification as(TestAccounts.Member who) {
        return given().header("Authorization", who.bearer());
    }

    @Test
    void theAnswersARequestProvokesAreDeclaredForItsOperation() throws Exception {
        Map<String, JsonNode> ops = operations();
        String site = MarketApi.site(provider, "eu-west", 52.2, 0.12);
        Map<String, Object> siteBody = Map.of("code", site, "region", "eu-west", "city", "Cambridge",
                "country", "GB", "latitude", 52.2, "longitude", 0.12, "timeZone", "Europe/London");

        // 400, naming the field at fault: in the body, and in the query string.
        Map<String, Object> longCity = new LinkedHashMap<>(siteBody);
        longCity.put("code", "other-" + TestAccounts.unique());
        longCity.put("city", "C".repeat(101));
        var badCity = as(provider).contentType(ContentType.JSON).body(longCity).post("/api/v1/sites").then().extract();
        provoked(ops, "POST /api/v1/sites", 400, badCity);
        assertEquals(List.of("city"), badCity.jsonPath().getList("errors.field"));
        var badLimit = as(sponsor).queryParam("limit", "abc").get("/api/v1/bids").then().extract();
        provoked(ops, "GET /api/v1/bids", 400, badLimit);
        assertEquals(List.of("limit"), badLimit.jsonPath().getList("errors.field"));

        // 401: no token, and a token nobody was given.
        provoked(ops, "GET /api/v1/bids", 401, given().get("/api/v1/bids").then().extract());
        provoked(ops, "POST /api/v1/sites", 401, given().header("Authorization", "Bearer xm_nobody")
                .contentType(ContentType.JSON).body(siteBody).post("/api/v1/sites").then().extract());

        // 403: a role that may not.
        provoked(ops, "POST /api/v1/sites", 403, as(sponsor).contentType(ContentType.JSON).body(siteBody)
                .post("/api/v1/sites").then().extract());
        provoked(ops, "POST /api/v1/bids", 403, as(provider).contentType(ContentType.JSON)
                .body(BidRequest.near(52.2, 0.12).withinKm(10).vcpus(1).memoryMib(512).diskGib(1).hours(1)
                        .maxPerHour("1.00")).post("/api/v1/bids").then().extract());

        // 404: an object that is not there, or not the caller's.
        provoked(ops, "GET /api/v1/bids/{id}", 404, as(sponsor).get("/api/v1/bids/" + UUID.randomUUID()).then().extract());
        provoked(ops, "GET /api/v1/invoices/{id}", 404, as(sponsor).get("/api/v1/invoices/" + UUID.randomUUID())
                .then().extract());

        // 409: a site code taken; a server name the provider uses; a revoked token rotated.
        provoked(ops, "POST /api/v1/sites", 409, as(provider).contentType(ContentType.JSON).body(siteBody)
                .post("/api/v1/sites").then().extract());
        String serverName = "declared-" + TestAccounts.unique();
        Map<String, Object> server = Map.of("name", serverName, "site", site, "hypervisor", "KVM",
                "capacity", Map.of("vcpus", 4, "memoryMib", 8192, "diskGib", 100, "egressMbps", 1000));
        as(provider).contentType(ContentType.JSON).body(server).post("/api/v1/servers").then().statusCode(201);
        provoked(ops, "POST /api/v1/servers", 409, as(provider).contentType(ContentType.JSON).body(server)
                .post("/api/v1/servers").then().extract());
        var token = as(provider).contentType(ContentType.JSON).body(Map.of("label", "to revoke"))
                .post("/api/v1/tokens").then().statusCode(201).extract();
        String tokenId = token.path("id");
        as(provider).delete("/api/v1/tokens/" + tokenId).then().statusCode(200);
        provoked(ops, "POST /api/v1/tokens/{id}/rotate", 409, as(provider).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/tokens/" + tokenId + "/rotate").then().extract());

        // 415: a body in a type the operation does not read.
        provoked(ops, "POST /api/v1/sites", 415, as(provider).contentType(ContentType.TEXT).body("code=x")
                .post("/api/v1/sites").then().extract());
        provoked(ops, "POST /api/v1/bids", 415, as(sponsor).contentType(ContentType.XML).body("<bid/>")
                .post("/api/v1/bids").then().extract());

        // 413 and 411: a body above the limit, and one whose size is not said.
        provoked(ops, "POST /api/v1/sites", 413, as(provider).contentType(ContentType.JSON)
                .body("{\"code\": \"" + "x".repeat(300 * 1024) + "\"}").post("/api/v1/sites").then().extract());
        RawHttp.Answer chunked = RawHttp.send("POST", "/api/v1/servers", new String[] {
                "Authorization: " + provider.bearer(), "Content-Type: application/json",
                "Transfer-Encoding: chunked"}, RawHttp.chunked(100, 50, (byte) ' '));
        assertEquals(411, chunked.status(), chunked.body());
        assertEquals("application/problem+json", chunked.header("Content-Type"));
        assertTrue(declared(ops, "POST /api/v1/servers").contains("411"));

        // 422: a bid no server could ever take (its placement reaches none), whatever the price.
        var nowhere = as(sponsor).contentType(ContentType.JSON).body(BidRequest.near(-60.0, -140.0).withinKm(10)
                .vcpus(1).memoryMib(512).diskGib(1).hours(1).maxPerHour("1.00")).post("/api/v1/bids").then().extract();
        provoked(ops, "POST /api/v1/bids", 422, nowhere);
        assertEquals(List.of("placement"), nowhere.jsonPath().getList("errors.field"));
    }

    @Test
    void everyOperationCalledAsEveryRoleAnswersOnlyWhatItDeclares() throws Exception {
        Map<String, JsonNode> ops = operations();
        String site = MarketApi.site(provider, "eu-west", 51.5, -0.1);
        String serverId = MarketApi.listedServer(provider, site, Capacity.vcpus(2).memoryMib(2048).diskGib(20));
        String node = MarketApi.registerNode(provider, serverId, Capacity.vcpus(2).memoryMib(2048).diskGib(20));
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("nobody", null);
        callers.put("sponsor", sponsor.token());
        callers.put("provider", provider.token());
        callers.put("operator", accounts.operator("Declared Operator").token());
        callers.put("finance", accounts.create("Declared Finance", "OPERATOR", "finance").token());
        callers.put("node", node);

        List<String> undeclared = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        // Deletions last: signing out or revoking must not take a caller's token before the rest is swept.
        List<String> keys = new ArrayList<>(ops.keySet());
        keys.sort((a, b) -> Boolean.compare(a.startsWith("DELETE"), b.startsWith("DELETE")));
        for (String key : keys) {
            if (NOT_SWEPT.contains(key) || streams(ops.get(key))) {
                continue;
            }
            String method = key.substring(0, key.indexOf(' '));
            String url = placeholders(key.substring(key.indexOf(' ') + 1));
            boolean body = ops.get(key).has("requestBody");
            Set<String> declared = declared(ops, key);
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                RequestSpecification request = given().redirects().follow(false);
                if (caller.getValue() != null) {
                    request.header("Authorization", "Bearer " + caller.getValue());
                }
                if (body) {
                    request.contentType(ContentType.JSON).body("{}");
                }
                int status = request.request(method, url).then().extract().statusCode();
                seen.add(String.valueOf(status));
                if (status >= 300 && !declared.contains(String.valueOf(status))) {
                    undeclared.add(key + " as " + caller.getKey() + ": " + status + " (declares " + declared + ")");
                }
            }
        }
        assertEquals(List.of(), undeclared, "answers the document does not declare");
        // The sweep reached past authentication: it met refusals by role, missing objects and bad input.
        assertTrue(seen.containsAll(Set.of("400", "401", "403", "404")), "statuses met: " + seen);
    }

    /** An event stream answers 200 and stays open; LeaseEventsTest and TokenLifecycleTest call those. */
    private static boolean streams(JsonNode operation) {
        return operation.path("responses").path("200").path("content").has("text/event-stream");
    }

    /** A path with its variables filled by values that name nothing stored. */
    private static String placeholders(String path) {
        return path.replace("{version}", "no-such-version").replace("{region}", "no-such-region")
                .replace("{n}", "1").replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
    }

    @Test
    void rateLimitAndUnavailabilityAreDeclaredWithRetryAfter() throws Exception {
        JsonNode document = JSON.readTree(given().get("/q/openapi?format=json").then().extract().asString());
        JsonNode responses = document.path("components").path("responses");
        for (String name : List.of("RateLimited", "Unavailable")) {
            assertEquals("integer", responses.path(name).path("headers").path("Retry-After").path("schema")
                    .path("type").asText(), name + " declares Retry-After");
        }
        given().get("/q/openapi?format=json").then()
                .body("paths.'/api/v1/bids'.post.responses.'429'.$ref", equalTo("#/components/responses/RateLimited"))
                .body("paths.'/api/v1/bids'.post.responses.keySet()", hasItem("503"));
    }
}
