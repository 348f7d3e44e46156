package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Code that follows its users, end to end: the market and two node agents on the simulated driver as
 * separate processes over HTTP. A running lease's sponsor moves its follow point next to the other
 * server; the market books it, the old agent saves the guest and uploads it, the new agent fetches,
 * verifies and restores it, and the lease runs on the new server only. Then the lease follows its
 * point back while its (now old) agent is killed: the move waits, booked, and when the agent comes
 * back it finishes, the lease again running on exactly one node.
 */
class LeaseMoveE2eTest {

    private final E2e e2e = new E2e();

    @Test
    void aLeaseFollowsItsPointToTheOtherNodeAndBackWithItsOldAgentKilledMidMove() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-move-test");
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place here = E2e.Place.random();
            E2e.Place there = east(here, 300);
            String a = e2e.listServer(api, provider, here, "SIMULATED", Size.vcpus(8).memoryMib(16384).diskGib(200));
            String b = e2e.listServer(api, provider, there, "SIMULATED", Size.vcpus(8).memoryMib(16384).diskGib(200));
            Map<String, String> aSettings = AgentProcess.simulatedSettings(market.baseUrl(), a, work.resolve("a-state"),
                    work.resolve("a-vmm"), Files.createDirectories(work.resolve("a")));
            Map<String, String> bSettings = AgentProcess.simulatedSettings(market.baseUrl(), b, work.resolve("b-state"),
                    work.resolve("b-vmm"), Files.createDirectories(work.resolve("b")));
            Map<String, String> token = Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length()));
            AgentProcess agentA = AgentProcess.start(work.resolve("a.log"), aSettings, token);
            AgentProcess agentB = AgentProcess.start(work.resolve("b.log"), bSettings, token);
            try {
                e2e.await(() -> e2e.state(api + "/servers/" + a, provider), "ACTIVE"::equals, Duration.ofSeconds(90), agentA);
                e2e.await(() -> e2e.state(api + "/servers/" + b, provider), "ACTIVE"::equals, Duration.ofSeconds(90), agentB);

                String leaseId = e2e.bid(api, sponsor, here, Size.vcpus(2).memoryMib(2048).diskGib(20))
                        .get("leaseId").asText();
                String lease = api + "/leases/" + leaseId;
                e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(30), agentA);
                assertTrue(host(work, "a").contains(leaseId));

                // The users are now by server B: more than the 290 km asked nearer than A.
                follow(api, sponsor, leaseId, there);
                e2e.await(() -> lastMove(api, sponsor, leaseId), "DONE"::equals, Duration.ofSeconds(60), agentB);
                JsonNode moved = e2e.call("GET", lease, sponsor, null, 200);
                assertEquals(b, moved.get("serverId").asText());
                assertEquals("RUNNING", moved.get("state").asText());
                e2e.await(() -> host(work, "b").contains(leaseId), on -> on, Duration.ofSeconds(30), agentB);
                assertFalse(host(work, "a").contains(leaseId), "the guest left A");
                assertEquals(0, E2e.count("SELECT count(*) FROM lease_move_file f JOIN lease_move m ON m.id = f.move_id"
                        + " WHERE m.lease_id = ?", UUID.fromString(leaseId)), "the saved files are gone from the market");
                // A's kept copy is deleted once the lease is no longer A's
                e2e.await(() -> Files.exists(work.resolve("a-state/moves/" + leaseId)), kept -> !kept,
                        Duration.ofSeconds(30), agentA);

                // Back to A, with B (now the old node) killed: the move is booked and waits for B.
                agentB.kill();
                E2e.update("UPDATE lease_follow SET updated_at = updated_at - interval '1 minute' WHERE lease_id = ?",
                        UUID.fromString(leaseId));
                follow(api, sponsor, leaseId, here);
                e2e.await(() -> lastMove(api, sponsor, leaseId), "BOOKED"::equals, Duration.ofSeconds(30), agentA);
                Thread.sleep(3_000);
                assertEquals("BOOKED", lastMove(api, sponsor, leaseId), "nobody saves the guest while B is dead");
                assertTrue(host(work, "b").contains(leaseId), "the guest is still B's");
                assertFalse(host(work, "a").contains(leaseId));

                agentB = AgentProcess.start(work.resolve("b.log"), bSettings, Map.of());
                e2e.await(() -> lastMove(api, sponsor, leaseId), "DONE"::equals, Duration.ofSeconds(90), agentB);
                assertEquals(a, e2e.call("GET", lease, sponsor, null, 200).get("serverId").asText());
                e2e.await(() -> host(work, "a").contains(leaseId), on -> on, Duration.ofSeconds(30), agentA);
                e2e.await(() -> host(work, "b").contains(leaseId), on -> !on, Duration.ofSeconds(30), agentB);
                assertEquals("RUNNING", e2e.state(lease, sponsor));
                assertEquals(2, E2e.count("SELECT count(*) FROM lease_move WHERE lease_id = ? AND state = 'DONE'",
                        UUID.fromString(leaseId)));
                assertEquals(0, E2e.count("SELECT count(*) FROM lease_move WHERE lease_id = ? AND state <> 'DONE'",
                        UUID.fromString(leaseId)));
            } finally {
                agentA.close();
                agentB.close();
            }
        }
    }

    private void follow(String api, String sponsor, String leaseId, E2e.Place point) throws Exception {
        e2e.call("PUT", api + "/leases/" + leaseId + "/follow", sponsor, """
                {"latitude": %s, "longitude": %s, "moveWhenNearerByKm": 290}""".formatted(point.lat(), point.lon()), 200);
    }

    private String lastMove(String api, String sponsor, String leaseId) throws Exception {
        JsonNode moves = e2e.call("GET", api + "/leases/" + leaseId + "/moves", sponsor, null, 200);
        return moves.isEmpty() ? "NONE" : moves.get(moves.size() - 1).get("state").asText();
    }

    /** About {@code km} east of the place, on the sphere of the market's distances. */
    static E2e.Place east(E2e.Place place, double km) {
        double degrees = Math.toDegrees(km / (6371.0 * Math.cos(Math.toRadians(place.lat()))));
        double lon = place.lon() + degrees;
        return new E2e.Place(place.lat(), lon > 180 ? lon - 360 : lon);
    }

    private static String host(Path work, String node) throws IOException {
        Path file = work.resolve(node + "-vmm").resolve("simulated-host.properties");
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
