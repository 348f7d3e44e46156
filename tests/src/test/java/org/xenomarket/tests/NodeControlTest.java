package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the market reaches a running node agent: lease events pushed over the node's event
 * stream, with polling only as the fallback; the caps a guest runs under; suspension.
 */
class NodeControlTest {

    private final E2e e2e = new E2e();

    @Test
    void aNewLeaseReachesTheAgentOverItsEventStreamWithoutWaitingForAPoll() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-node-control");
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"), List.of(
                "-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + E2e.DATABASE),
                Duration.ofMinutes(3))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED", 8, 16384, 200);
            Map<String, String> settings = AgentProcess.simulatedSettings(market.baseUrl(), serverId,
                    work.resolve("agent-state"), work.resolve("vmm"), work);
            // A poll and a heartbeat a minute apart: only the event stream can bring the lease sooner.
            settings.put("xenomarket.agent.poll-interval", "PT60S");
            settings.put("xenomarket.agent.heartbeat-interval", "PT60S");
            try (AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())))) {
                e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals,
                        Duration.ofSeconds(60), agent);
                agent.awaitOutput("lease event stream open", Duration.ofSeconds(30));
                // Let the round that followed the stream's opening finish, so the next one is a minute away.
                Thread.sleep(2_000);

                Instant matched = Instant.now();
                String lease = api + "/leases/" + e2e.bid(api, sponsor, place, 1, 1024, 10).get("leaseId").asText();
                e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(20), agent);
                Duration took = Duration.between(matched, Instant.now());
                assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "the lease ran after " + took
                        + ", sooner than the 60 s poll");
                String leaseId = lease.substring(lease.lastIndexOf('/') + 1);
                Path host = work.resolve("vmm").resolve("simulated-host.properties");
                // The guest runs under the caps the market sent: a reserved lease's whole vCPU, and 1 of
                // 8 vCPUs' share of the server's 1000 Mbit/s.
                String guest = guestEntry(host, leaseId);
                assertTrue(guest.contains(".cpu-quota=100") && guest.contains(".network=0,125"), guest);

                // Suspension reaches the agent over the stream too, again long before a poll.
                e2e.call("POST", lease + "/suspend", sponsor, "{}", 200);
                e2e.await(() -> guestEntry(host, leaseId), g -> g.contains(".state=PAUSED"), Duration.ofSeconds(20), agent);
                e2e.call("POST", lease + "/resume", sponsor, "{}", 200);
                e2e.await(() -> guestEntry(host, leaseId), g -> g.contains(".state=RUNNING"), Duration.ofSeconds(20), agent);
                assertEquals("RUNNING", e2e.state(lease, sponsor));
            }
        }
    }

    /** The simulated host's lines about the guest of a lease (guest.N.* for the N that holds it). */
    private static String guestEntry(Path host, String leaseId) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        if (Files.exists(host)) {
            properties.load(new java.io.StringReader(Files.readString(host)));
        }
        for (String name : properties.stringPropertyNames()) {
            if (name.endsWith(".lease") && leaseId.equals(properties.getProperty(name))) {
                String prefix = name.substring(0, name.length() - "lease".length());
                StringBuilder lines = new StringBuilder();
                properties.stringPropertyNames().stream().filter(n -> n.startsWith(prefix)).sorted()
                        .forEach(n -> lines.append(n).append('=').append(properties.getProperty(n)).append('\n'));
                return lines.toString();
            }
        }
        return "";
    }
}
