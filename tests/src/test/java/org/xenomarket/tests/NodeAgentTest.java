package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The node agent and the market as separate processes, over HTTP, with the simulated hypervisor:
 * a provider lists a server and starts the agent, which registers and heartbeats the server into
 * service; a sponsor's lease runs; the agent is killed with -9 and restarted, adopts the guest
 * and carries on without registering again; the market goes away and comes back while the guest
 * keeps running; a second lease runs and is stopped and ENDED at its end; and when the agent stays dead the market takes the server offline and fails
 * the lease, and the agent, back again, removes the orphaned guest.
 */
class NodeAgentTest {

    private final E2e e2e = new E2e();

    @Test
    void theAgentRunsALeaseSurvivesKillMinusNineAndAMarketOutageAndTheMarketFailsLeasesOfASilentServer()
            throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-test");
        int port = MarketProcess.freePort();
        List<String> marketSettings = List.of("-Dxenomarket.database.host=127.0.0.1",
                "-Dxenomarket.database.name=" + E2e.DATABASE,
                "-Dxenomarket.node.heartbeat-timeout=PT8S", "-Dxenomarket.node.sweep-interval=1s");
        MarketProcess market = MarketProcess.start(work.resolve("market.log"), marketSettings, Duration.ofMinutes(3), port);
        try {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            double lat = ThreadLocalRandom.current().nextDouble(-60, 60);
            double lon = ThreadLocalRandom.current().nextDouble(-179, 179);
            String site = "agent-" + UUID.randomUUID().toString().substring(0, 8);
            e2e.call("POST", api + "/sites", provider, """
                    {"code": "%s", "region": "eu-west", "city": "Testville", "country": "GB",
                     "latitude": %s, "longitude": %s, "timeZone": "Europe/London"}""".formatted(site, lat, lon), 201);
            String serverId = e2e.call("POST", api + "/servers", provider, """
                    {"name": "%s", "site": "%s", "hypervisor": "SIMULATED",
                     "capacity": {"vcpus": 8, "memoryMib": 16384, "diskGib": 200, "egressMbps": 1000}}"""
                    .formatted(site, site), 201).get("id").asText();
            assertEquals("PENDING", e2e.state(api + "/servers/" + serverId, provider));

            Path stateDir = work.resolve("agent-state");
            Path vmmDir = work.resolve("vmm");
            Map<String, String> agentSettings = AgentProcess.simulatedSettings(market.baseUrl(), serverId, stateDir, vmmDir, work);
            Path agentLog = work.resolve("agent.log");
            AgentProcess agent = AgentProcess.start(agentLog, agentSettings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())));
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals, Duration.ofSeconds(60), agent);
            assertTrue(Files.exists(stateDir.resolve("node.key")) && Files.exists(stateDir.resolve("node-token")));
            String nodeToken = Files.readString(stateDir.resolve("node-token")).trim();

            JsonNode bid = e2e.call("POST", api + "/bids", sponsor, """
                    {"resources": {"vcpus": 2, "memoryMib": 2048, "diskGib": 20},
                     "placement": {"latitude": %s, "longitude": %s, "withinKm": 50},
                     "durationHours": 2, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}""".formatted(lat, lon), 201);
            assertEquals("MATCHED", bid.get("state").asText(), bid.toString());
            String leaseId = bid.get("leaseId").asText();
            String lease = api + "/leases/" + leaseId;
            e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(30), agent);
            String runningAt = e2e.call("GET", lease, sponsor, null, 200).get("runningAt").asText();
            assertTrue(simulatedHost(vmmDir).contains(leaseId), "the simulated host runs the lease's guest");

            // kill -9 and restart: no provider token this time, so it must use its stored node token.
            agent.kill();
            agent = AgentProcess.start(agentLog, agentSettings, Map.of());
            agent.awaitOutput("adopted running guest of lease " + leaseId, Duration.ofSeconds(30));
            assertEquals(nodeToken, Files.readString(stateDir.resolve("node-token")).trim(), "it did not register again");
            assertEquals(1, E2e.count("SELECT count(*) FROM api_token WHERE server_id = ?", UUID.fromString(serverId)));
            JsonNode afterRestart = e2e.call("GET", lease, sponsor, null, 200);
            assertEquals("RUNNING", afterRestart.get("state").asText());
            assertEquals(runningAt, afterRestart.get("runningAt").asText(), "the guest was adopted, not restarted");

            // The market goes away: the agent keeps the guest and retries; the market comes back where it was.
            market.close();
            agent.awaitOutput("retrying in", Duration.ofSeconds(30));
            assertTrue(agent.isAlive());
            assertTrue(simulatedHost(vmmDir).contains(leaseId), "the guest keeps running while the market is away");
            market = MarketProcess.start(work.resolve("market-again.log"), marketSettings, Duration.ofMinutes(3), port);
            Instant back = Instant.now();
            e2e.await(() -> E2e.lastHeartbeat(serverId), at -> at != null && at.isAfter(back), Duration.ofSeconds(60), agent);
            assertEquals("RUNNING", e2e.state(lease, sponsor));

            // A second lease runs, and when its end comes the agent stops its guest and reports it ENDED.
            String second = e2e.call("POST", api + "/bids", sponsor, """
                    {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 10},
                     "placement": {"latitude": %s, "longitude": %s, "withinKm": 50},
                     "durationHours": 1, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}""".formatted(lat, lon), 201)
                    .get("leaseId").asText();
            e2e.await(() -> e2e.state(api + "/leases/" + second, sponsor), "RUNNING"::equals, Duration.ofSeconds(30), agent);
            // Leases last whole hours; move this one's window into the past rather than wait an hour.
            E2e.update("UPDATE lease SET start_at = now() - interval '1 hour', end_at = now() WHERE id = ?",
                    UUID.fromString(second));
            e2e.await(() -> e2e.state(api + "/leases/" + second, sponsor), "ENDED"::equals, Duration.ofSeconds(30), agent);
            assertFalse(e2e.call("GET", api + "/leases/" + second, sponsor, null, 200).get("endedAt").isNull());
            assertFalse(simulatedHost(vmmDir).contains(second), "the ended lease's guest is gone");
            assertTrue(simulatedHost(vmmDir).contains(leaseId), "the other lease's guest still runs");

            // The agent dies for good: after the heartbeat timeout the server is OFFLINE and the lease FAILED.
            agent.kill();
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "OFFLINE"::equals, Duration.ofSeconds(30), null);
            JsonNode failed = e2e.call("GET", lease, sponsor, null, 200);
            assertEquals("FAILED", failed.get("state").asText());
            assertTrue(failed.get("stateReason").asText().contains("went offline"), failed.toString());
            assertFalse(failed.get("failedAt").isNull());

            // Back again, the agent brings the server back and removes the guest whose lease failed.
            agent = AgentProcess.start(agentLog, agentSettings, Map.of());
            e2e.await(() -> simulatedHost(vmmDir).contains(leaseId), running -> !running, Duration.ofSeconds(30), agent);
            // The agent logs the stop once the guest is gone from the host file, so the line may
            // come a moment after what the test saw there.
            e2e.await(agent::output, output -> output.contains("stopped guest of lease " + leaseId)
                    || output.contains("removed guest of lease " + leaseId), Duration.ofSeconds(10), agent);
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals, Duration.ofSeconds(30), agent);
            assertEquals("FAILED", e2e.state(lease, sponsor));
            agent.close();
        } finally {
            market.close();
        }
    }

    @Test
    void aGuestThatCannotStartFailsItsLeaseWithAReasonTheSponsorSeesAndLeavesNothingRunning() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-test");
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED",
                    Size.vcpus(8).memoryMib(16384).diskGib(200));
            Path vmmDir = work.resolve("vmm");
            Map<String, String> settings = AgentProcess.simulatedSettings(market.baseUrl(), serverId, work.resolve("agent-state"),
                    vmmDir, work);
            // The provider's image on disk is not the one the checksum names (a corrupted download, say).
            settings.put("xenomarket.agent.image.kernel-sha256", "0".repeat(64));
            try (AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())))) {
                e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals,
                        Duration.ofSeconds(60), agent);
                String lease = api + "/leases/" + e2e.bid(api, sponsor, place,
                        Size.vcpus(2).memoryMib(2048).diskGib(20)).get("leaseId").asText();
                e2e.await(() -> e2e.state(lease, sponsor), "FAILED"::equals, Duration.ofSeconds(30), agent);
                JsonNode failed = e2e.call("GET", lease, sponsor, null, 200);
                assertTrue(failed.get("stateReason").asText().contains("IMAGE_CHECKSUM_MISMATCH"), failed.toString());
                // The provider's own image: the server's fault, counted against its reliability.
                assertEquals("HOST", failed.get("failureCause").asText(), failed.toString());
                assertFalse(failed.get("failedAt").isNull());
                assertFalse(simulatedHost(vmmDir).contains("lease="), "no guest was left behind");
                assertTrue(agent.isAlive(), "the agent keeps serving");
                assertEquals("ACTIVE", e2e.state(api + "/servers/" + serverId, provider));
            }
        }
    }

    private static String simulatedHost(Path vmmDir) throws IOException {
        Path file = vmmDir.resolve("simulated-host.properties");
        return Files.exists(file) ? Files.readString(file) : "";
    }

}
