package org.xenomarket.market.capacity;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.get;
import static org.xenomarket.market.MarketApi.post;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.Sql;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.market.TestPolicies;

/**
 * GPUs by model, end to end through the API: servers list accelerators, quotes price them per model,
 * bids ask for a model and count and land only where that many devices are free, each device held by
 * one lease at a time (the database guards it), and the node agent is told which devices to pass through.
 */
@QuarkusTest
class AcceleratorsTest {

    private static final String RULE = "Accelerators priced per model";
    private static final Capacity SIZE = Capacity.vcpus(8).memoryMib(16384).diskGib(100);

    private final TestAccounts accounts;
    private final Sql sql;
    private TestAccounts.Member operator;
    private TestAccounts.Member provider;
    private TestAccounts.Member sponsor;
    private String previousPolicy;
    private Places here;
    private String site;

    AcceleratorsTest(TestAccounts accounts, Sql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    @BeforeEach
    void setUp() {
        operator = accounts.operator("GPU Operator");
        provider = accounts.provider("GPU Provider");
        sponsor = accounts.sponsor("GPU Sponsor");
        previousPolicy = TestPolicies.activateBuiltIn(operator, "gpus", tables -> { });
        here = Places.somewhere();
        site = MarketApi.site(provider, "eu-west", here.latitude(), here.longitude());
    }

    @AfterEach
    void restorePolicy() {
        TestPolicies.restore(operator, previousPolicy);
    }

    private Map<String, Object> listing(List<Map<String, Object>> accelerators) {
        return Map.of("name", "gpu-" + TestAccounts.unique(), "site", site,
                "capacity", Map.of("vcpus", SIZE.vcpus(), "memoryMib", SIZE.memoryMib(), "diskGib", SIZE.diskGib(),
                        "egressMbps", 1000),
                "hypervisor", "KVM", "accelerators", accelerators);
    }

    /** Lists a server with the accelerators and brings it into service as its agent would; returns its id. */
    private String gpuServer(List<Map<String, Object>> accelerators) {
        String serverId = post(provider, "/api/v1/servers", listing(accelerators)).statusCode(201)
                .extract().path("id");
        String token = MarketApi.registerNode(provider, serverId, SIZE);
        MarketApi.heartbeat(token, SIZE, List.of()).statusCode(200).body("serverState", equalTo("ACTIVE"));
        tokens.put(serverId, token);
        return serverId;
    }

    private final Map<String, String> tokens = new HashMap<>();

    private static Map<String, Object> l4(int count, String... addresses) {
        Map<String, Object> entry = new HashMap<>(Map.of("model", "nvidia-l4", "count", count));
        if (addresses.length > 0) {
            entry.put("pciAddresses", List.of(addresses));
        }
        return entry;
    }

    private Map<String, Object> gpuBid(String model, int count, int hours, String maxPerHour) {
        Map<String, Object> bid = new HashMap<>(BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(hours).maxPerHour(maxPerHour));
        bid.put("accelerators", Map.of("model", model, "count", count));
        return bid;
    }

    private long servers() {
        return sql.number("SELECT count(*) FROM server WHERE provider_id = ?", provider.accountId());
    }

    @Test
    void aServerListsItsAcceleratorsByModelAndCountWithTheirPciAddresses() {
        String id = gpuServer(List.of(l4(2, "0000:65:00.0", "0000:66:00.0"),
                Map.of("model", "nvidia-a100-80gb", "count", 1)));

        get(provider, "/api/v1/servers/" + id).statusCode(200)
                .body("accelerators.model", equalTo(List.of("nvidia-l4", "nvidia-a100-80gb")))
                .body("accelerators.count", equalTo(List.of(2, 1)));
        assertEquals("0000:65:00.0,0000:66:00.0,null", sql.text("""
                SELECT string_agg(coalesce(pci_address, 'null'), ',' ORDER BY model DESC, position)
                FROM accelerator_device WHERE server_id = ?""", UUID.fromString(id)));
    }

    @Test
    void aListingWithAnUnknownModelOrBadAddressesIsRefusedNamingTheFieldAndNothingIsStored() {
        long before = servers();
        post(provider, "/api/v1/servers", listing(List.of(l4(1), Map.of("model", "nvidia-gtx-480", "count", 1))))
                .statusCode(400).body("errors.field", equalTo(List.of("accelerators[1].model")))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("nvidia-l4"));
        post(provider, "/api/v1/servers", listing(List.of(l4(2, "0000:65:00.0"))))
                .statusCode(400).body("errors.field", equalTo(List.of("accelerators[0].pciAddresses")));
        post(provider, "/api/v1/servers", listing(List.of(l4(2, "0000:65:00.0", "0000:65:00.0"))))
                .statusCode(400).body("errors.field", equalTo(List.of("accelerators[0].pciAddresses[1]")));
        post(provider, "/api/v1/servers", listing(List.of(l4(1, "65:00.0"))))
                .statusCode(400).body("errors.field[0]", org.hamcrest.Matchers.startsWith("accelerators[0].pciAddresses"));
        post(provider, "/api/v1/servers", listing(List.of(l4(17))))
                .statusCode(400).body("errors.field", equalTo(List.of("accelerators[0].count")));
        post(provider, "/api/v1/servers", listing(List.of(l4(1), l4(1))))
                .statusCode(400).body("errors.field", equalTo(List.of("accelerators[1].model")));
        assertEquals(before, servers(), "no refused listing stored a server");
    }

    @Test
    void aQuotePricesTheDevicesPerModelAndRefusesAnUnknownModel() {
        String id = gpuServer(List.of(l4(2)));
        Map<String, Object> request = new HashMap<>(Map.of("serverId", id,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 10), "durationHours", 2));
        BigDecimal without = new BigDecimal(post(sponsor, "/api/v1/quotes", request).statusCode(201)
                .extract().<String>path("pricePerHour.amount"));
        request.put("accelerators", Map.of("model", "nvidia-l4", "count", 2));
        JsonPath quote = post(sponsor, "/api/v1/quotes", request).statusCode(201)
                .body("accelerators.model", equalTo("nvidia-l4")).body("accelerators.count", equalTo(2))
                .extract().jsonPath();

        // two devices at 0.60 per device-hour add 1.20 to the hour (the rest rounds the same way)
        BigDecimal with = new BigDecimal(quote.getString("pricePerHour.amount"));
        assertEquals(0, new BigDecimal("1.20").compareTo(with.subtract(without)), with + " vs " + without);
        List<Map<String, String>> lines = quote.getList("breakdown.findAll { it.rule == '" + RULE + "' }");
        assertEquals(1, lines.size());
        assertEquals("ACCELERATOR", lines.get(0).get("resource"));

        request.put("accelerators", Map.of("model", "nvidia-gtx-480", "count", 1));
        post(sponsor, "/api/v1/quotes", request).statusCode(400)
                .body("errors.field", equalTo(List.of("accelerators.model")));
        request.put("accelerators", Map.of("model", "nvidia-l4", "count", 3));
        post(sponsor, "/api/v1/quotes", request).statusCode(400)
                .body("errors.field", equalTo(List.of("accelerators.count")));
    }

    @Test
    void aGpuBidLandsOnlyWhereItsModelIsFreeAndTheLeaseAndItsAgentNameTheDevices() {
        // a plain server beside the GPU server: cheaper for the hour, but it has no GPU
        MarketApi.server(provider, site, SIZE);
        String gpu = gpuServer(List.of(l4(2, "0000:65:00.0", "0000:66:00.0")));

        JsonPath placed = post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 2, 2, "5.00")).statusCode(201)
                .body("state", equalTo("MATCHED")).body("accelerators.model", equalTo("nvidia-l4"))
                .extract().jsonPath();
        String leaseId = placed.getString("leaseId");
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200)
                .body("serverId", equalTo(gpu))
                .body("accelerators.devices", equalTo(List.of("0000:65:00.0", "0000:66:00.0")));
        RestAssured.given().header("Authorization", "Bearer " + tokens.get(gpu)).get("/api/v1/node/leases").then()
                .statusCode(200)
                .body("find { it.id == '" + leaseId + "' }.accelerators.devices",
                        equalTo(List.of("0000:65:00.0", "0000:66:00.0")));
        // a lease from now for two hours holds the hours it touches: two or three, each for both devices
        assertEquals(1, sql.number("""
                SELECT (count(*) = 2 * count(DISTINCT bucket_start) AND count(DISTINCT device_id) = 2
                        AND count(DISTINCT bucket_start) IN (2, 3))::int
                FROM accelerator_slot WHERE lease_id = ?""", UUID.fromString(leaseId)),
                "both devices in every hour of the lease");

        // both devices are held now: another GPU bid stays open, a plain one still matches
        post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 1, 2, "5.00")).statusCode(201)
                .body("state", equalTo("OPEN"));
        post(sponsor, "/api/v1/bids", gpuBid("nvidia-a100-80gb", 1, 1, "5.00")).statusCode(201)
                .body("state", equalTo("OPEN"));
        post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(1).maxPerHour("5.00"))
                .statusCode(201).body("state", equalTo("MATCHED"));
    }

    @Test
    void aGpuServerBeyondTheNearestTwoHundredPlainServersIsStillFoundAndBooked() throws Exception {
        // 201 plain servers at the point itself, more than an offer search reads, and the GPU server 11 km off
        String plain = MarketApi.server(provider, site, SIZE);
        String copies = "copy-" + TestAccounts.unique() + "-";
        String columns = sql.text("""
                SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'server' AND column_name NOT IN ('id', 'name')""");
        sql.execute("INSERT INTO server (id, name, " + columns + ") SELECT gen_random_uuid(), ? || g, " + columns
                + " FROM server, generate_series(1, 200) g WHERE id = ?", copies, UUID.fromString(plain));
        site = MarketApi.site(provider, "eu-west", here.latitude() + 0.1, here.longitude());
        String gpu = gpuServer(List.of(l4(1)));
        try {
            get(sponsor, "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude()
                    + "&withinKm=50&acceleratorModel=nvidia-l4").statusCode(200)
                    .body("id", equalTo(List.of(gpu))).body("[0].fits", equalTo(true));
            String leaseId = post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 1, 1, "5.00")).statusCode(201)
                    .body("state", equalTo("MATCHED")).extract().path("leaseId");
            get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("serverId", equalTo(gpu));
        } finally {
            // out of service, so that no other test's round places a bid on a server without a node
            sql.execute("UPDATE server SET state = 'OFFLINE' WHERE name LIKE ? || '%'", copies);
        }
    }

    @Test
    void aBidForAnUnknownModelIsRefusedAndNothingIsStored() {
        gpuServer(List.of(l4(1)));
        long before = sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId());
        post(sponsor, "/api/v1/bids", gpuBid("nvidia-gtx-480", 1, 1, "5.00")).statusCode(400)
                .body("errors.field", equalTo(List.of("accelerators.model")));
        post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 0, 1, "5.00")).statusCode(400)
                .body("errors.field", equalTo(List.of("accelerators.count")));
        assertEquals(before, sql.number("SELECT count(*) FROM bid WHERE sponsor_id = ?", sponsor.accountId()));
    }

    @Test
    void twoBidsRacingForTheLastGpuGetItOnceNeverTwice() throws Exception {
        String gpu = gpuServer(List.of(l4(1, "0000:65:00.0")));
        List<TestAccounts.Member> racers = List.of(accounts.sponsor("GPU Racer A"), accounts.sponsor("GPU Racer B"));
        for (int round = 0; round < 3; round++) {
            // each round races for the device in a window of its own, starting at the same instant
            String start = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                    .plus(2 + 3L * round, java.time.temporal.ChronoUnit.HOURS).toString();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (TestAccounts.Member racer : racers) {
                Map<String, Object> bid = gpuBid("nvidia-l4", 1, 2, "5.00");
                bid.put("start", start);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return RestAssured.given().header("Authorization", racer.bearer()).contentType(ContentType.JSON)
                            .body(bid).post("/api/v1/bids").then().statusCode(201).extract().<String>path("state");
                }));
            }
            go.countDown();
            List<String> states = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                states.add(outcome.get());
            }
            pool.shutdown();
            assertEquals(1, states.stream().filter("MATCHED"::equals).count(), "one racer gets the GPU: " + states);
            assertEquals(1, states.stream().filter("OPEN"::equals).count(), "the other waits: " + states);
        }
        assertEquals(3, sql.number("SELECT count(*) FROM lease WHERE server_id = ? AND accelerator_model IS NOT NULL",
                UUID.fromString(gpu)));
        assertEquals(6, sql.number("""
                SELECT count(*) FROM accelerator_slot s JOIN accelerator_device d ON d.id = s.device_id
                WHERE d.server_id = ?""", UUID.fromString(gpu)), "three leases of two hours on the one device");
    }

    @Test
    void theDatabaseItselfRefusesOneDeviceHourToTwoLeases() throws Exception {
        String gpu = gpuServer(List.of(l4(1)));
        String leaseId = post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 1, 1, "5.00")).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        String other = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(50)
                .vcpus(1).memoryMib(1024).diskGib(10).hours(1).maxPerHour("5.00"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("leaseId");
        java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                () -> sql.execute("""
                        INSERT INTO accelerator_slot (device_id, bucket_start, lease_id)
                        SELECT device_id, bucket_start, ? FROM accelerator_slot WHERE lease_id = ?""",
                        UUID.fromString(other), UUID.fromString(leaseId)));
        assertEquals("23505", refused.getSQLState(), "the primary key, not code, refused it");
        assertTrue(gpu != null);
    }

    @Test
    void aFailedGpuLeaseGivesItsDevicesBack() {
        String gpu = gpuServer(List.of(l4(1)));
        String leaseId = post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 1, 3, "5.00")).statusCode(201)
                .body("state", equalTo("MATCHED")).extract().path("leaseId");
        String base = "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude()
                + "&withinKm=5&durationHours=3&acceleratorModel=nvidia-l4";
        get(sponsor, base).statusCode(200).body("[0].fits", equalTo(false));

        RestAssured.given().header("Authorization", "Bearer " + tokens.get(gpu)).contentType(ContentType.JSON)
                .body(Map.of("state", "FAILED", "reason", "GPU fell off the bus"))
                .post("/api/v1/node/leases/" + leaseId + "/state").then().statusCode(200);

        assertEquals(0, sql.number("SELECT count(*) FROM accelerator_slot WHERE lease_id = ?", UUID.fromString(leaseId)),
                "the failed lease holds no device-hour from the failure's hour on");
        get(sponsor, base).statusCode(200).body("[0].fits", equalTo(true));
        post(sponsor, "/api/v1/bids", gpuBid("nvidia-l4", 1, 3, "5.00")).statusCode(201)
                .body("state", equalTo("MATCHED"));
    }

    @Test
    void nearbySearchFiltersByModelAndTellsWhereTheDevicesAreFree() {
        String plain = MarketApi.server(provider, site, SIZE);
        String gpu = gpuServer(List.of(l4(1)));
        String base = "/api/v1/servers/nearby?lat=" + here.latitude() + "&lon=" + here.longitude() + "&withinKm=5";

        List<String> all = get(sponsor, base).statusCode(200).extract().path("id");
        assertTrue(all.contains(plain) && all.contains(gpu), all.toString());
        get(sponsor, base + "&acceleratorModel=nvidia-l4").statusCode(200)
                .body("id", equalTo(List.of(gpu))).body("[0].fits", equalTo(true))
                .body("[0].accelerators.model", hasItem("nvidia-l4"));
        get(sponsor, base + "&acceleratorModel=nvidia-l4&acceleratorCount=2").statusCode(200)
                .body("id", equalTo(List.of(gpu))).body("[0].fits", equalTo(false));
        get(sponsor, base + "&acceleratorModel=amd-mi300x").statusCode(200).body("size()", equalTo(0));
        get(sponsor, base + "&acceleratorModel=nvidia-gtx-480").statusCode(400)
                .body("errors.field", equalTo(List.of("acceleratorModel")));
        get(sponsor, base + "&acceleratorModel=nvidia-l4&acceleratorCount=17").statusCode(400)
                .body("errors.field", equalTo(List.of("acceleratorCount")));
    }

    @Test
    void aClearingRoundPutsABestEffortGpuBidOnlyWhereItsModelIsFree() throws Exception {
        String region = "gpu-" + UUID.randomUUID().toString().substring(0, 8);
        sql.execute("INSERT INTO region (code, name) VALUES (?, 'GPU test region')", region);
        String gpuSite = MarketApi.site(provider, region, here.latitude(), here.longitude());
        site = gpuSite;
        MarketApi.server(provider, gpuSite, SIZE);
        String gpu = gpuServer(List.of(l4(1, "0000:3b:00.0")));
        Map<String, Object> first = gpuBid("nvidia-l4", 1, 1, "5.00");
        first.put("serviceClass", "BEST_EFFORT");
        Map<String, Object> second = new HashMap<>(first);
        second.put("maxPricePerHour", Map.of("amount", "4.00", "currency", "EUR"));
        String firstId = post(sponsor, "/api/v1/bids", first).statusCode(201).body("state", MarketApi.openOrTakenByRound())
                .extract().path("id");
        String secondId = post(sponsor, "/api/v1/bids", second).statusCode(201).body("state", MarketApi.openOrTakenByRound())
                .extract().path("id");

        // The operator's round is skipped (ran: false) while the scheduled round of the new region runs, which
        // CI once hit; either round may place the bids, so ask again until one has.
        await("a round of the region placed the first bid").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    post(operator, "/api/v1/clearing/rounds/" + region, Map.of()).statusCode(200);
                    return "MATCHED".equals(get(sponsor, "/api/v1/bids/" + firstId).extract().path("state"));
                });

        String leaseId = get(sponsor, "/api/v1/bids/" + firstId).statusCode(200).body("state", equalTo("MATCHED"))
                .extract().path("leaseId");
        get(sponsor, "/api/v1/leases/" + leaseId).statusCode(200).body("serverId", equalTo(gpu))
                .body("accelerators.devices", equalTo(List.of("0000:3b:00.0")));
        get(sponsor, "/api/v1/bids/" + secondId).statusCode(200).body("state", equalTo("OPEN"))
                .body("stateReason", org.hamcrest.Matchers.containsString("nvidia-l4"));
    }
}
