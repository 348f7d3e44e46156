package org.xenomarket.market.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.MarketApi.post;
import static org.xenomarket.market.MarketApi.with;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.BidRequest;
import org.xenomarket.market.Capacity;
import org.xenomarket.market.MarketApi;
import org.xenomarket.market.Places;
import org.xenomarket.market.TestAccounts;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/**
 * The market's own Prometheus metrics move with what it does: a quote is timed, a reserved bid
 * matched at once and a best-effort bid booked by a round are counted by how they were booked, a
 * round is counted and timed per region, and a node's usage records are counted by outcome with the
 * lag of the accepted ones. Each figure is read from {@code /q/metrics} before and after, so other
 * tests' traffic in the same market only ever adds.
 */
@QuarkusTest
class MarketMetricsTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Capacity SIZE = Capacity.vcpus(8).memoryMib(16384).diskGib(100);

    private final TestAccounts accounts;

    MarketMetricsTest(TestAccounts accounts) {
        this.accounts = accounts;
    }

    @Test
    void quotesBookingsRoundsAndUsageMoveTheirMetrics() {
        TestAccounts.Member provider = accounts.provider("Metrics Provider");
        TestAccounts.Member sponsor = accounts.sponsor("Metrics Sponsor");
        TestAccounts.Member operator = accounts.operator("Metrics Operator");
        Places here = Places.somewhere();
        String serverId = MarketApi.listedServer(provider, MarketApi.site(provider, "eu-west", here.latitude(),
                here.longitude()), SIZE);
        KeyPair key = NodeKeys.generate();
        var registered = post(provider, "/api/v1/nodes", Map.of("serverId", serverId,
                "publicKey", NodeKeys.publicKeyToBase64(key.getPublic()), "hypervisor", "KVM",
                "capacity", Map.of("vcpus", SIZE.vcpus(), "memoryMib", SIZE.memoryMib(), "diskGib", SIZE.diskGib())))
                .statusCode(201);
        String nodeToken = registered.extract().path("token");
        String nodeId = registered.extract().path("id");
        MarketApi.heartbeat(nodeToken, SIZE, List.of()).statusCode(200);

        // A quote is priced and timed.
        Metrics before = Metrics.scrape();
        post(sponsor, "/api/v1/quotes", Map.of("serverId", serverId,
                "resources", Map.of("vcpus", 1, "memoryMib", 1024, "diskGib", 5), "durationHours", 1))
                .statusCode(201);
        Metrics after = Metrics.scrape();
        assertEquals(1, after.minus(before, "xenomarket_quote_pricing_seconds_count", "outcome=\"priced\""), after.text);
        assertTrue(after.value("xenomarket_quote_pricing_seconds_sum", "outcome=\"priced\"") > 0, after.text);

        // A reserved bid that fits is booked at once.
        before = after;
        String reserved = post(sponsor, "/api/v1/bids", BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(2).memoryMib(2048).diskGib(10).hours(2).maxPerHour("10"))
                .statusCode(201).body("state", equalTo("MATCHED")).extract().path("id");
        after = Metrics.scrape();
        assertEquals(1, after.minus(before, "xenomarket_bookings_total", "via=\"immediate\""), after.text);

        // A best-effort bid waits for a round, which books it; rounds of eu-west are counted and timed.
        // The test profile's scheduled round (every 2 s) may take the bid before its answer is written:
        // then the answer already names the round's lease. Either way the booking is counted via "round".
        before = after;
        var bestEffort = post(sponsor, "/api/v1/bids", with(BidRequest.near(here.latitude(), here.longitude()).withinKm(10)
                .vcpus(1).memoryMib(1024).diskGib(5).hours(1).maxPerHour("10"), "serviceClass", "BEST_EFFORT"))
                .statusCode(201).body("state", MarketApi.openOrTakenByRound()).extract();
        assertEquals("MATCHED".equals(bestEffort.path("state")), bestEffort.path("leaseId") != null,
                bestEffort.asString());
        post(operator, "/api/v1/clearing/rounds/eu-west", Map.of()).statusCode(200);
        Metrics start = before;
        Metrics booked = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(Metrics::scrape, now -> now.minus(start, "xenomarket_bookings_total", "via=\"round\"") >= 1);
        assertTrue(booked.minus(start, "xenomarket_clearing_rounds_seconds_count", "region=\"eu-west\"") >= 1,
                booked.text);
        assertTrue(booked.value("xenomarket_clearing_rounds_seconds_count", "region=\"eu-west\"", "outcome=\"cleared\"")
                >= 1, booked.text);

        // A node's batch: one record accepted (its lag measured), one forged and rejected.
        String leaseId = MarketApi.get(sponsor, "/api/v1/bids/" + reserved).extract().path("leaseId");
        Instant leaseStart = Instant.parse(MarketApi.get(sponsor, "/api/v1/leases/" + leaseId).extract()
                .<String>path("start")).truncatedTo(ChronoUnit.SECONDS);
        UsageRecordWire good = signed(key, nodeId, 1, leaseId, leaseStart, 60);
        UsageRecordWire forged = signed(key, nodeId, 2, leaseId, leaseStart.plusSeconds(60), 60);
        forged = new UsageRecordWire(forged.format(), forged.nodeId(), forged.sequence(), forged.leaseId(), forged.t0(),
                forged.t1(), forged.cpuNanos() + 1, forged.memoryMibSeconds(), forged.netRxBytes(), forged.netTxBytes(),
                forged.diskReadBytes(), forged.diskWriteBytes(), forged.signature());
        before = Metrics.scrape();
        given().header("Authorization", "Bearer " + nodeToken).contentType(ContentType.JSON)
                .body(Map.of("records", List.of(good, forged))).post("/api/v1/node/usage").then().statusCode(200);
        after = Metrics.scrape();
        assertEquals(1, after.minus(before, "xenomarket_usage_records_total", "outcome=\"accepted\""), after.text);
        assertEquals(1, after.minus(before, "xenomarket_usage_records_total", "outcome=\"rejected\""), after.text);
        assertEquals(1, after.minus(before, "xenomarket_usage_ingestion_lag_seconds_count"), after.text);
    }

    private static UsageRecordWire signed(KeyPair key, String nodeId, long sequence, String leaseId, Instant from,
                                          long seconds) {
        UsageStatement statement = new UsageStatement(nodeId, sequence, leaseId,
                new Interval(from, from.plusSeconds(seconds)), new Usage(1_000_000, 1024 * seconds, 1_000, 2_000, 3_000, 4_000));
        return UsageRecordWire.from(new UsageRecordSigner(key.getPrivate()).sign(statement));
    }

    /** One scrape of {@code /q/metrics}: Prometheus' text format, summed over the series that match. */
    private record Metrics(String text) {

        static Metrics scrape() {
            return new Metrics(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        }

        /** The sum of the series of {@code name} whose labels contain every one of {@code labels}; 0 when none. */
        double value(String name, String... labels) {
            double sum = 0;
            for (String line : text.split("\n")) {
                if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                    continue;
                }
                String series = line.substring(0, line.lastIndexOf(' '));
                if (List.of(labels).stream().allMatch(series::contains)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }

        double minus(Metrics earlier, String name, String... labels) {
            return value(name, labels) - earlier.value(name, labels);
        }
    }
}
