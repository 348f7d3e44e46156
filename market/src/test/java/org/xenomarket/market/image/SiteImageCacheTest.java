package org.xenomarket.market.image;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.MarketApi.with;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;

/**
 * Site image caches: nodes report the files their cache holds, an agent is told which agents of its
 * site hold its lease's image, and placement prefers, at equal price only, a server whose site holds
 * the bid's image; rounds count such leases.
 */
@QuarkusTest
class SiteImageCacheTest {

    private static final Capacity SIZE = Capacity.vcpus(8).memoryMib(16384).diskGib(200);
    private static final long DISK_BYTES = 123_456_789L;

    private final TestAccounts accounts;
    private final Sql sql;

    SiteImageCacheTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    /** A disk image with a fresh SHA-256 (so no other test's node holds it) and its size; returns the SHA-256. */
    private String diskImage(TestAccounts.Member operator, String name) {
        String sha = sha(name);
        post(operator, "/api/v1/images", Map.of("name", name, "diskFormat", "qcow2",
                "disk", Map.of("url", "https://images.example.org/" + name + ".qcow2", "sha256", sha,
                        "sizeBytes", DISK_BYTES)))
                .statusCode(201).body("disk.sizeBytes", equalTo((int) DISK_BYTES));
        return sha;
    }

    private static String sha(String seed) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server at {@code at} whose node has reported {@code sha} in its cache: its site's cache is warm. */
    private static String serverHoldingImage(TestAccounts.Member provider, Places at, String sha) {
        String server = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", at.latitude(),
                at.longitude()), SIZE);
        heartbeat(MarketApi.registerNode(provider, server, SIZE), List.of(Map.of("sha256", sha, "sizeBytes", DISK_BYTES)),
                null).statusCode(200);
        return server;
    }

    private static ValidatableResponse heartbeat(String token, List<Map<String, Object>> held, String peerUrl) {
        Map<String, Object> body = new HashMap<>();
        body.put("free", Map.of("vcpus", SIZE.vcpus(), "memoryMib", SIZE.memoryMib(), "diskGib", SIZE.diskGib()));
        body.put("guests", List.of());
        body.put("images", held);
        if (peerUrl != null) {
            body.put("imagePeerUrl", peerUrl);
        }
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/node/heartbeat").then();
    }

    private static Map<String, Object> bidFor(Places here, String image) {
        Map<String, Object> bid = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("50"));
        if (image != null) {
            bid.put("image", image);
        }
        return bid;
    }

    private String serverOfLease(String leaseId) {
        return sql.text("SELECT server_id::text FROM lease WHERE id = ?::uuid", leaseId);
    }

    @Test
    void anAgentIsToldWhichAgentsOfItsSiteHoldItsImageAndTheMarketForgetsWhatANodeNoLongerHolds() {
        TestAccounts.Member operator = accounts.operator("Cache Operator");
        TestAccounts.Member provider = accounts.provider("Cache Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Cache Sponsor");
        String name = "cached-" + TestAccounts.unique();
        String sha = diskImage(operator, name);
        Places here = Places.somewhere();
        String site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
        // the holder is too small for the bid, so the lease goes to its neighbour
        Capacity small = Capacity.vcpus(1).memoryMib(1024).diskGib(10);
        String holder = MarketApi.listedServer(provider, site, small);
        String holderToken = MarketApi.registerNode(provider, holder, small);
        heartbeat(holderToken, List.of(Map.of("sha256", sha, "sizeBytes", DISK_BYTES)), "http://127.0.0.1:7071/")
                .statusCode(200);
        String neighbour = MarketApi.listedServer(provider, site, SIZE);
        String neighbourToken = MarketApi.registerNode(provider, neighbour, SIZE);
        heartbeat(neighbourToken, List.of(), "http://127.0.0.1:7072").statusCode(200);

        String leaseId = post(sponsor, "/api/v1/bids", bidFor(here, "sha256:" + sha)).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertEquals(neighbour, serverOfLease(leaseId));
        String lease = "find { it.id == '" + leaseId + "' }";
        given().header("Authorization", "Bearer " + neighbourToken).get("/api/v1/node/leases").then().statusCode(200)
                .body(lease + ".image.disk.sizeBytes", equalTo((int) DISK_BYTES))
                .body(lease + ".imagePeers.size()", equalTo(1))
                .body(lease + ".imagePeers[0].sha256", equalTo(sha))
                .body(lease + ".imagePeers[0].url", equalTo("http://127.0.0.1:7071/images/" + sha));

        // the holder's cache no longer has it: the neighbour is sent to the origin alone
        heartbeat(holderToken, List.of(), "http://127.0.0.1:7071/").statusCode(200);
        given().header("Authorization", "Bearer " + neighbourToken).get("/api/v1/node/leases").then().statusCode(200)
                .body(lease + ".imagePeers", empty());
    }

    @Test
    void atEqualPriceTheServerWhoseSiteHoldsTheImageWinsOverANearerOne() {
        TestAccounts.Member operator = accounts.operator("Warm Operator");
        TestAccounts.Member provider = accounts.provider("Warm Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Warm Sponsor");
        String name = "warm-" + TestAccounts.unique();
        String sha = diskImage(operator, name);
        Places here = Places.somewhere();
        Places near = here.east(2);
        Places far = here.east(20);
        String cold = MarketApi.server(provider, MarketApi.site(provider, "eu-west", near.latitude(), near.longitude()), SIZE);
        String warm = serverHoldingImage(provider, far, sha);

        // both idle, so both ask the same price: the warm one wins though the other is nearer ...
        String withImage = post(sponsor, "/api/v1/bids", bidFor(here, name)).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertEquals(warm, serverOfLease(withImage));
        // ... and a bid without an image goes to the nearer, still idle one, at that same price
        String plain = post(sponsor, "/api/v1/bids", bidFor(here, null)).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertEquals(cold, serverOfLease(plain));
        assertEquals(sql.text("SELECT price_per_hour::text FROM lease WHERE id = ?::uuid", plain),
                sql.text("SELECT price_per_hour::text FROM lease WHERE id = ?::uuid", withImage));
    }

    @Test
    void aWarmCacheNeverWinsOverACheaperServer() {
        TestAccounts.Member operator = accounts.operator("Thrifty Operator");
        TestAccounts.Member provider = accounts.provider("Thrifty Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Thrifty Sponsor");
        String name = "dear-" + TestAccounts.unique();
        String sha = diskImage(operator, name);
        Places here = Places.somewhere();
        Places near = here.east(2);
        Places far = here.east(20);
        String cheap = MarketApi.server(provider, MarketApi.site(provider, "eu-west", far.latitude(), far.longitude()), SIZE);
        String dearWarm = serverHoldingImage(provider, near, sha);
        given().header("Authorization", "Bearer " + provider.token()).contentType(ContentType.JSON)
                .body(Map.of("currency", "EUR", "vcpuHour", "5")).put("/api/v1/servers/" + dearWarm + "/floor-prices")
                .then().statusCode(200);

        String leaseId = post(sponsor, "/api/v1/bids", bidFor(here, name)).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        assertEquals(cheap, serverOfLease(leaseId));
    }

    @Test
    void aRoundPlacesABidOnTheWarmSiteAtEqualPriceAndCountsTheLease() {
        TestAccounts.Member operator = accounts.operator("Round Cache Operator");
        TestAccounts.Member provider = accounts.provider("Round Cache Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Round Cache Sponsor");
        String name = "round-" + TestAccounts.unique();
        String sha = diskImage(operator, name);
        Places here = Places.somewhere();
        Places near = here.east(2);
        Places far = here.east(20);
        String cold = MarketApi.server(provider, MarketApi.site(provider, "eu-west", near.latitude(), near.longitude()), SIZE);
        String warm = serverHoldingImage(provider, far, sha);
        double before = warmRoundLeases();

        // a best-effort bid waits for a round
        String bidId = post(sponsor, "/api/v1/bids", with(bidFor(here, name), "serviceClass", "BEST_EFFORT"))
                .statusCode(201).body("state", MarketApi.openOrTakenByRound()).extract().path("id");
        post(operator, "/api/v1/clearing/rounds/eu-west", Map.of()).statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                sql.number("SELECT count(*) FROM lease WHERE bid_id = ?::uuid", bidId) == 1);
        assertEquals(warm, sql.text("SELECT server_id::text FROM lease WHERE bid_id = ?::uuid", bidId));
        assertTrue(!cold.equals(warm));
        await().atMost(Duration.ofSeconds(10)).until(() -> warmRoundLeases() >= before + 1);
    }

    @Test
    void unknownImagesAndBadCacheReportsAreRefusedNamingTheFieldAndNothingIsStored() {
        TestAccounts.Member provider = accounts.provider("Careless Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Careless Sponsor");
        long bids = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        Places here = Places.somewhere();
        post(sponsor, "/api/v1/bids", bidFor(here, "sha256:" + sha("nobody has this " + TestAccounts.unique())))
                .statusCode(400).body("errors[0].field", equalTo("image"));
        post(sponsor, "/api/v1/bids", bidFor(here, "sha256:12ab")).statusCode(400)
                .body("errors[0].field", equalTo("image"));
        post(sponsor, "/api/v1/bids", bidFor(here, java.util.UUID.randomUUID().toString())).statusCode(400)
                .body("errors[0].field", equalTo("image"));
        assertEquals(bids, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));

        String server = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        String token = MarketApi.registerNode(provider, server, SIZE);
        heartbeat(token, List.of(Map.of("sha256", "not-hex", "sizeBytes", 1)), null).statusCode(400)
                .body("errors[0].field", equalTo("images[0].sha256"));
        heartbeat(token, List.of(Map.of("sha256", sha("x"), "sizeBytes", -1)), null).statusCode(400)
                .body("errors[0].field", equalTo("images[0].sizeBytes"));
        heartbeat(token, List.of(), "ftp://peer.example/").statusCode(400)
                .body("errors[0].field", equalTo("imagePeerUrl"));
        assertEquals(0, sql.number("SELECT count(*) FROM image_holding WHERE server_id = ?::uuid", server));
    }

    private static double warmRoundLeases() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("xenomarket_bookings_warm_cache_total{") && line.contains("via=\"round\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
