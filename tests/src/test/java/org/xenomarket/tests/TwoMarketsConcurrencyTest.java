package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two market instances on one database and 64 concurrent bidders spread over both, for servers
 * that cannot hold all of them: the database must never let any server-hour go over capacity,
 * and what the slots say is reserved must be exactly what the leases hold.
 */
class TwoMarketsConcurrencyTest {

    private static final int BIDDERS = 64;
    private static final int SERVERS = 3;
    private static final int VCPUS_PER_SERVER = 8;

    private final E2e e2e = new E2e();

    @Test
    void sixtyFourBiddersOnTwoInstancesNeverOverbook() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-two-markets");
        List<String> settings = List.of("-Dxenomarket.database.host=127.0.0.1",
                "-Dxenomarket.database.name=" + E2e.DATABASE);
        try (MarketProcess first = MarketProcess.start(work.resolve("first.log"), settings, Duration.ofMinutes(3));
             MarketProcess second = MarketProcess.start(work.resolve("second.log"), settings, Duration.ofMinutes(3))) {
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            double lat = ThreadLocalRandom.current().nextDouble(-60, 60);
            double lon = ThreadLocalRandom.current().nextDouble(-179, 179);
            List<String> servers = listActiveServers(first.baseUrl() + "/api/v1", provider, lat, lon);

            List<String> sponsors = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sponsors.add("Bearer " + E2e.account("SPONSOR", "sponsor"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(BIDDERS);
            List<Future<JsonNode>> bids = new ArrayList<>();
            for (int i = 0; i < BIDDERS; i++) {
                String api = (i % 2 == 0 ? first : second).baseUrl() + "/api/v1";
                String sponsor = sponsors.get(i % sponsors.size());
                int vcpus = 1 + i % 3;
                bids.add(pool.submit(() -> e2e.call("POST", api + "/bids", sponsor, """
                        {"resources": {"vcpus": %d, "memoryMib": 1024, "diskGib": 5},
                         "placement": {"latitude": %s, "longitude": %s, "withinKm": 30},
                         "durationHours": 2, "maxPricePerHour": {"amount": "100", "currency": "EUR"}}"""
                        .formatted(vcpus, lat, lon), 201)));
            }
            int matchedVcpus = 0;
            int open = 0;
            for (Future<JsonNode> bid : bids) {
                JsonNode placed = bid.get(2, TimeUnit.MINUTES);
                if ("MATCHED".equals(placed.get("state").asText())) {
                    matchedVcpus += placed.get("resources").get("vcpus").asInt();
                } else {
                    open++;
                }
            }
            pool.shutdown();

            assertTrue(matchedVcpus <= SERVERS * VCPUS_PER_SERVER, matchedVcpus + " vCPUs matched");
            // At worst each server keeps 2 vCPUs that only 3-vCPU bids wanted when they came.
            assertTrue(matchedVcpus >= SERVERS * (VCPUS_PER_SERVER - 2),
                    "the servers were filled as far as bids of 1-3 vCPUs can fill them: " + matchedVcpus);
            assertTrue(open > 0, "demand exceeded capacity, so some bids stayed open");
            for (String server : servers) {
                    assertEquals(0, E2e.count("""
                            SELECT count(*) FROM capacity_slot WHERE server_id = ?
                              AND (reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib
                                   OR reserved_disk_gib > capacity_disk_gib)""", UUID.fromString(server)),
                            "no slot over capacity");
                    assertEquals(0, E2e.count("""
                            SELECT count(*) FROM capacity_slot s WHERE s.server_id = ? AND s.reserved_vcpus <>
                              (SELECT coalesce(sum(l.vcpus), 0) FROM lease l WHERE l.server_id = s.server_id
                                 AND l.start_at < s.bucket_start + interval '1 hour' AND l.end_at > s.bucket_start)""",
                            UUID.fromString(server)), "every slot holds exactly what the leases over it reserve");
            }
            long leased = 0;
            for (String server : servers) {
                leased += E2e.count("SELECT coalesce(sum(vcpus), 0) FROM lease WHERE server_id = ?", UUID.fromString(server));
            }
            assertEquals(matchedVcpus, leased, "every matched bid is one lease, and no lease is unaccounted");
        }
    }

    /** Lists the servers and brings each into service with a registered node and one heartbeat. */
    private List<String> listActiveServers(String api, String provider, double lat, double lon) throws Exception {
        String site = "race-" + UUID.randomUUID().toString().substring(0, 8);
        e2e.call("POST", api + "/sites", provider, """
                {"code": "%s", "region": "eu-west", "city": "Raceville", "country": "GB",
                 "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}""".formatted(site, lat, lon), 201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            String id = e2e.call("POST", api + "/servers", provider, """
                    {"name": "%s-%d", "site": "%s", "hypervisor": "SIMULATED",
                     "capacity": {"vcpus": %d, "memoryMib": 65536, "diskGib": 500, "egressMbps": 1000}}"""
                    .formatted(site, i, site, VCPUS_PER_SERVER), 201).get("id").asText();
            String publicKey = Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
            e2e.bringIntoService(api, provider, id, publicKey, VCPUS_PER_SERVER, 65536, 500);
            ids.add(id);
        }
        return ids;
    }
}
