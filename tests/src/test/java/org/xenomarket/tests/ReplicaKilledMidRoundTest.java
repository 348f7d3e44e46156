package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, fault 2: two market replicas share the regions; the one that owns a region is killed with
 * SIGKILL while its clearing round is booking (some of the round's leases committed, the rest not).
 * The other replica takes the region over once the dead one's lease lapses and clears what is left in
 * its next round: every bid ends with exactly one lease, and no server-hour is over capacity.
 * Until its servers and bids are all in place, the region is held by a replica that does not exist
 * (its lease row says so, for an hour), so no round can clear part of them: the first round that sees the
 * region, after the test frees it, sees all 80 servers and 240 bids.
 */
class ReplicaKilledMidRoundTest {

    private static final int BIDS = 240;
    // a round books each server's placements in one transaction (RoundBookings.chunksByServer), so many small
    // servers make many transactions: 80 servers of 4 vCPU take the 240 one-vCPU bids in 60 to 80 of them
    private static final int SERVERS = 80;
    private static final int VCPUS_PER_SERVER = 4;

    private final E2e e2e = new E2e();

    @Test
    void anotherReplicaClearsTheRegionOfAReplicaKilledMidRoundAndNothingIsOverbooked() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-replica-killed");
        String region = "fo-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> settings = new ArrayList<>(MarketProcess.onTestDatabase());
        settings.addAll(List.of(
                // rounds every 4 s; a lease of 3 s renewed every second: a dead replica's regions move within a round
                "-Dxenomarket.clearing.round-interval=4s", "-Dxenomarket.clearing.ownership-interval=1s",
                "-Dxenomarket.clearing.region-lease=PT3S",
                // many small booking transactions, one at a time, so that the round is caught between two of them
                "-Dxenomarket.clearing.booking-chunk=3", "-Dxenomarket.clearing.booking-connections=1",
                "-Dxenomarket.node.heartbeat-timeout=PT1H", "-XX:TieredStopAtLevel=1"));
        try (MarketProcess first = MarketProcess.start(work.resolve("first.log"), settings, Duration.ofMinutes(4));
             MarketProcess second = MarketProcess.start(work.resolve("second.log"), settings, Duration.ofMinutes(4))) {
            // a region of the test's own (the first market made the database), held for now by no live replica
            E2e.update("""
                    WITH added AS (INSERT INTO region (code, name) VALUES (?, 'Failover test region') RETURNING code)
                    INSERT INTO region_lease (region, owner, epoch, acquired_at, expires_at)
                    SELECT code, gen_random_uuid(), 1, now(), now() + interval '1 hour' FROM added""", region);
            String api = first.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            List<Node> nodes = listServers(api, provider, region, place);
            List<String> bids = placeBestEffortBids(List.of(api, second.baseUrl() + "/api/v1"), sponsor, place);

            bringIntoService(api, provider, nodes);
            assertEquals(0, leases(bids), "nothing booked while the region is held by no live replica");

            // the region is freed: one of the replicas takes it, and its next round places every bid, one
            // server's bookings (at most 4) per transaction; it is killed as soon as the first are committed
            E2e.update("UPDATE region_lease SET owner = NULL, expires_at = '-infinity' WHERE region = ?", region);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ownerOf(region, first, second), m -> m != null);
            long booked = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> leases(bids), n -> n > 0);
            MarketProcess owner = ownerOf(region, first, second);
            long epochBefore = E2e.count("SELECT epoch FROM region_lease WHERE region = ?", region);
            owner.kill();
            long bookedAtKill = leases(bids);
            String ownerLog = owner.output();
            MarketProcess survivor = owner == first ? second : first;
            System.out.printf("ReplicaKilledMidRoundTest: %d of %d bids booked at the kill (%d when first seen)%n",
                    bookedAtKill, BIDS, booked);
            assertTrue(bookedAtKill < BIDS && !ownerLog.contains("Clearing round of " + region + ":"),
                    "the replica was killed mid-round, before its round of " + region + " ended: " + bookedAtKill
                            + " of " + BIDS + " bids booked (" + booked + " when first seen)");

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> leases(bids), n -> n == BIDS);
            assertEquals(BIDS, E2e.count("SELECT count(*) FROM bid WHERE id = ANY(?) AND state = 'MATCHED'",
                    (Object) ids(bids)), "every bid matched");
            assertEquals(BIDS, E2e.count("SELECT count(DISTINCT bid_id) FROM lease WHERE bid_id = ANY(?)", (Object) ids(bids)),
                    "no bid booked twice");
            assertEquals(0, E2e.count("""
                    SELECT count(*) FROM capacity_slot WHERE server_id = ANY(?)
                      AND (reserved_vcpus > capacity_vcpus OR reserved_memory_mib > capacity_memory_mib
                           OR reserved_disk_gib > capacity_disk_gib)""", (Object) servers(nodes)), "no slot over capacity");
            assertEquals(0, E2e.count("""
                    WITH held AS (
                        SELECT l.server_id, b AS bucket_start, sum(l.vcpus) AS vcpus, sum(l.memory_mib) AS memory_mib
                        FROM lease l CROSS JOIN LATERAL generate_series(date_trunc('hour', l.start_at),
                             l.end_at - interval '1 microsecond', interval '1 hour') AS b
                        WHERE l.server_id = ANY(?) GROUP BY 1, 2)
                    SELECT count(*) FROM held h FULL JOIN (SELECT * FROM capacity_slot WHERE server_id = ANY(?)) c
                        ON c.server_id = h.server_id AND c.bucket_start = h.bucket_start
                    WHERE h.vcpus IS DISTINCT FROM c.reserved_vcpus OR h.memory_mib IS DISTINCT FROM c.reserved_memory_mib
                    """, (Object) servers(nodes), (Object) servers(nodes)), "every slot holds exactly what the leases over it hold");
            assertEquals(survivor.pid(), E2e.count("""
                    SELECT r.pid FROM region_lease l JOIN market_replica r ON r.id = l.owner
                    WHERE l.region = ? AND l.epoch > ?""", region, epochBefore),
                    "the survivor holds the region at a later epoch");
            assertTrue(survivor.output().contains("Clearing round of " + region + ":"),
                    "the survivor cleared the region");
        }
    }

    private record Node(String serverId, String publicKey) {
    }

    private List<Node> listServers(String api, String provider, String region, E2e.Place place) throws Exception {
        String site = "fo-" + UUID.randomUUID().toString().substring(0, 8);
        e2e.call("POST", api + "/sites", provider, """
                {"code": "%s", "region": "%s", "city": "Failover", "country": "GB",
                 "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}"""
                .formatted(site, region, place.lat(), place.lon()), 201);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            String id = e2e.call("POST", api + "/servers", provider, """
                    {"name": "%s-%d", "site": "%s", "hypervisor": "SIMULATED",
                     "capacity": {"vcpus": %d, "memoryMib": 262144, "diskGib": 4000, "egressMbps": 1000}}"""
                    .formatted(site, i, site, VCPUS_PER_SERVER), 201).get("id").asText();
            nodes.add(new Node(id, Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded())));
        }
        return nodes;
    }

    /** Best-effort bids wait for a round (no immediate matching); the servers are not in service yet either. */
    private List<String> placeBestEffortBids(List<String> apis, String sponsor, E2e.Place place) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> placed = new ArrayList<>();
            for (int i = 0; i < BIDS; i++) {
                String api = apis.get(i % apis.size());
                placed.add(pool.submit(() -> e2e.call("POST", api + "/bids", sponsor, """
                        {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 5},
                         "placement": {"latitude": %s, "longitude": %s, "withinKm": 50},
                         "serviceClass": "BEST_EFFORT", "durationHours": 2,
                         "maxPricePerHour": {"amount": "50", "currency": "EUR"}}"""
                        .formatted(place.lat(), place.lon()), 201).get("id").asText()));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> bid : placed) {
                ids.add(bid.get(5, TimeUnit.MINUTES));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    private static MarketProcess ownerOf(String region, MarketProcess first, MarketProcess second) throws Exception {
        try (Connection db = E2e.connect(); PreparedStatement query = db.prepareStatement("""
                SELECT r.pid FROM region_lease l JOIN market_replica r ON r.id = l.owner
                WHERE l.region = ? AND l.expires_at > now()
                  AND (SELECT count(*) FROM market_replica WHERE expires_at > now() AND pid IN (?, ?)) = 2""")) {
            query.setString(1, region);
            query.setLong(2, first.pid());
            query.setLong(3, second.pid());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                long pid = row.getLong(1);
                return pid == first.pid() ? first : pid == second.pid() ? second : null;
            }
        }
    }

    /** Registers a node for every server, then sends every server's first heartbeat, which makes it ACTIVE. */
    private void bringIntoService(String api, String provider, List<Node> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<String>> registered = new ArrayList<>();
            for (Node node : nodes) {
                registered.add(pool.submit(() -> e2e.call("POST", api + "/nodes", provider, """
                        {"serverId": "%s", "publicKey": "%s", "hypervisor": "SIMULATED",
                         "capacity": {"vcpus": %d, "memoryMib": 262144, "diskGib": 4000}}"""
                        .formatted(node.serverId, node.publicKey, VCPUS_PER_SERVER), 201).get("token").asText()));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> token : registered) {
                tokens.add(token.get(2, TimeUnit.MINUTES));
            }
            List<Future<?>> active = new ArrayList<>();
            for (String token : tokens) {
                active.add(pool.submit(() -> e2e.call("POST", api + "/node/heartbeat", "Bearer " + token, """
                        {"free": {"vcpus": %d, "memoryMib": 262144, "diskGib": 4000}, "guests": []}"""
                        .formatted(VCPUS_PER_SERVER), 200)));
            }
            for (Future<?> one : active) {
                one.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long leases(List<String> bids) throws Exception {
        return E2e.count("SELECT count(*) FROM lease WHERE bid_id = ANY(?)", (Object) ids(bids));
    }

    private static UUID[] ids(List<String> ids) {
        return ids.stream().map(UUID::fromString).toArray(UUID[]::new);
    }

    private static UUID[] servers(List<Node> nodes) {
        return ids(nodes.stream().map(Node::serverId).toList());
    }
}
