package org.xenomarket.market;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matcher;

/**
 * The market's REST API as tests call it: small helpers for the requests every flow makes. Sizes
 * and bids are given with named fields ({@link Capacity}, {@link BidRequest}), not positional numbers.
 */
public final class MarketApi {

    private MarketApi() {
    }

    public static ValidatableResponse post(TestAccounts.Member who, String path, Object body) {
        return given().header("Authorization", who.bearer()).contentType(ContentType.JSON).body(body)
                .when().post(path).then();
    }

    public static ValidatableResponse get(TestAccounts.Member who, String path) {
        return given().header("Authorization", who.bearer()).when().get(path).then();
    }

    /** A site near the given point, in a region of the standard set; returns its code. */
    public static String site(TestAccounts.Member provider, String region, double lat, double lon) {
        String code = "site-" + TestAccounts.unique();
        post(provider, "/api/v1/sites", Map.of("code", code, "region", region, "city", "Testville",
                "country", "GB", "latitude", lat, "longitude", lon, "timeZone", "Europe/London"))
                .statusCode(201);
        return code;
    }

    /**
     * Lists a server of the given size at the site and brings it into service as its node agent
     * would: registers a node for it and sends the first heartbeat. Returns the server's id.
     */
    public static String server(TestAccounts.Member provider, String site, Capacity size) {
        String serverId = listedServer(provider, site, size);
        String nodeToken = registerNode(provider, serverId, size);
        heartbeat(nodeToken, size, List.of()).statusCode(200).body("serverState", equalTo("ACTIVE"));
        return serverId;
    }

    /** Lists a KVM server of the given size at the site, with no node yet (so it stays PENDING); returns its id. */
    public static String listedServer(TestAccounts.Member provider, String site, Capacity size) {
        return post(provider, "/api/v1/servers", Map.of("name", "srv-" + TestAccounts.unique(), "site", site,
                "capacity", Map.of("vcpus", size.vcpus(), "memoryMib", size.memoryMib(), "diskGib", size.diskGib(),
                        "egressMbps", 1000),
                "hypervisor", "KVM"))
                .statusCode(201).extract().path("id");
    }

    /**
     * Submits a bid near {@code here} (within 50 km, {@code vcpus} with 1 GiB each, 10 GiB of disk, for
     * {@code hours}, at most 5.00 an hour); returns its id.
     */
    public static String openBid(TestAccounts.Member sponsor, Places here, int vcpus, int hours) {
        return post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(vcpus).memoryMib(1024L * vcpus).diskGib(10).hours(hours).maxPerHour("5.00"))
                .statusCode(201).extract().path("id");
    }

    /** Registers a node with a fresh Ed25519 key and the given host capacity; returns its node token. */
    public static String registerNode(TestAccounts.Member provider, String serverId, Capacity size) {
        return post(provider, "/api/v1/nodes", Map.of("serverId", serverId, "publicKey", freshPublicKey(),
                "hypervisor", "KVM", "capacity", Map.of("vcpus", size.vcpus(), "memoryMib", size.memoryMib(),
                        "diskGib", size.diskGib())))
                .statusCode(201).extract().path("token");
    }

    /** A node's heartbeat with the given free capacity and guests (maps of leaseId and state). */
    public static ValidatableResponse heartbeat(String nodeToken, Capacity free, List<Map<String, Object>> guests) {
        return given().header("Authorization", "Bearer " + nodeToken).contentType(ContentType.JSON)
                .body(Map.of("free", Map.of("vcpus", free.vcpus(), "memoryMib", free.memoryMib(),
                                "diskGib", free.diskGib()),
                        "guests", guests))
                .when().post("/api/v1/node/heartbeat").then();
    }

    /** Base64 X.509 form of a fresh Ed25519 public key, as the agent registers it. */
    public static String freshPublicKey() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body with more fields, given as name, value pairs; the body itself is not changed. */
    /**
     * The state a best-effort bid is answered with when a server could take it: OPEN, waiting for a round, or
     * MATCHED when a scheduled round (every 2 s in the test profile) took it between its commit and its answer.
     */
    public static Matcher<Object> openOrTakenByRound() {
        return anyOf(equalTo("OPEN"), equalTo("MATCHED"));
    }

    public static Map<String, Object> with(Map<String, Object> body, Object... pairs) {
        Map<String, Object> copy = new java.util.HashMap<>(body);
        for (int i = 0; i < pairs.length; i += 2) {
            copy.put((String) pairs[i], pairs[i + 1]);
        }
        return copy;
    }
}
