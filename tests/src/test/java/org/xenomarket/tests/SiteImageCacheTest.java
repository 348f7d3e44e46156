package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two node agents of one site, as processes, and an image origin over HTTP: the first agent fetches
 * the lease's image from the origin and reports it in its heartbeats; the second, told by the market
 * that its neighbour holds the image, fetches it from that agent's site cache, and the origin is
 * asked no more.
 */
class SiteImageCacheTest {

    private final E2e e2e = new E2e();

    @Test
    void theSecondAgentOfASiteFetchesTheImageFromTheFirstNotFromTheOrigin() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-site-cache");
        byte[] disk = "a raw disk image, as the catalogue has it\n".repeat(1000).getBytes();
        Path original = Files.write(work.resolve("disk.raw"), disk);
        AtomicInteger originRequests = new AtomicInteger();
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/disk.raw", exchange -> {
            originRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, disk.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(disk);
            }
        });
        origin.start();
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String operator = "Bearer " + E2e.account("OPERATOR", "operator");
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            String image = "site-" + UUID.randomUUID().toString().substring(0, 8);
            e2e.call("POST", api + "/images", operator, """
                    {"name": "%s", "disk": {"url": "http://127.0.0.1:%d/disk.raw", "sha256": "%s", "sizeBytes": %d},
                     "diskFormat": "raw"}""".formatted(image, origin.getAddress().getPort(), E2e.sha256(original),
                    disk.length), 201);

            E2e.Place place = E2e.Place.random();
            String site = "cache-" + UUID.randomUUID().toString().substring(0, 8);
            e2e.call("POST", api + "/sites", provider, """
                    {"code": "%s", "region": "eu-west", "city": "Testville", "country": "GB",
                     "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}""".formatted(site, place.lat(), place.lon()), 201);
            // the first server holds exactly one lease, so the second lease goes to its neighbour
            String first = server(api, provider, site, "first", 1, 1024, 10);
            String second = server(api, provider, site, "second", 8, 16384, 200);
            String bid = """
                    {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 10},
                     "placement": {"latitude": %s, "longitude": %s, "withinKm": 50}, "image": "%s",
                     "durationHours": 1, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                    .formatted(place.lat(), place.lon(), image);
            Map<String, String> env = Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length()));

            try (AgentProcess one = AgentProcess.start(work.resolve("one.log"), agent(market, first, work.resolve("one")), env)) {
                e2e.await(() -> e2e.state(api + "/servers/" + first, provider), "ACTIVE"::equals, Duration.ofSeconds(60), one);
                String lease1 = e2e.call("POST", api + "/bids", sponsor, bid, 201).get("leaseId").asText();
                e2e.await(() -> e2e.state(api + "/leases/" + lease1, sponsor), "RUNNING"::equals, Duration.ofSeconds(60), one);
                assertEquals(1, originRequests.get());
                String reason1 = e2e.call("GET", api + "/leases/" + lease1, sponsor, null, 200).get("stateReason").asText();
                assertTrue(reason1.contains("fetched from its origin"), reason1);
                // its next heartbeat tells the market what its cache holds
                e2e.await(() -> E2e.count("SELECT count(*) FROM image_holding WHERE server_id = ?::uuid", first),
                        n -> n == 1, Duration.ofSeconds(30), one);

                try (AgentProcess two = AgentProcess.start(work.resolve("two.log"), agent(market, second, work.resolve("two")), env)) {
                    e2e.await(() -> e2e.state(api + "/servers/" + second, provider), "ACTIVE"::equals, Duration.ofSeconds(60), two);
                    String lease2 = e2e.call("POST", api + "/bids", sponsor, bid, 201).get("leaseId").asText();
                    e2e.await(() -> e2e.state(api + "/leases/" + lease2, sponsor), "RUNNING"::equals, Duration.ofSeconds(60), two);
                    assertEquals(1, E2e.count("SELECT count(*) FROM lease WHERE id = ?::uuid AND server_id = ?::uuid",
                            lease2, second));
                    String reason2 = e2e.call("GET", api + "/leases/" + lease2, sponsor, null, 200).get("stateReason").asText();
                    assertTrue(reason2.contains("warm site cache"), reason2);
                    assertEquals(1, originRequests.get(), "the second agent did not go to the origin");
                    assertTrue(Files.readString(work.resolve("two.log")).contains("fetched from site peer"));
                }
            }
        } finally {
            origin.stop(0);
        }
    }

    private String server(String api, String provider, String site, String name, int vcpus, long memoryMib, long diskGib)
            throws Exception {
        return e2e.call("POST", api + "/servers", provider, """
                {"name": "%s-%s", "site": "%s", "hypervisor": "SIMULATED",
                 "capacity": {"vcpus": %d, "memoryMib": %d, "diskGib": %d, "egressMbps": 1000}}"""
                .formatted(site, name, site, vcpus, memoryMib, diskGib), 201).get("id").asText();
    }

    /** A simulated agent serving its image cache on a free loopback port. */
    private static Map<String, String> agent(MarketProcess market, String serverId, Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> settings = AgentProcess.simulatedSettings(market.baseUrl(), serverId, dir.resolve("state"),
                dir.resolve("vmm"), dir);
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        settings.put("xenomarket.agent.image-peer.port", Integer.toString(port));
        settings.put("xenomarket.agent.image-peer.bind", "127.0.0.1");
        settings.put("xenomarket.agent.image-peer.url", "http://127.0.0.1:" + port);
        return settings;
    }
}
