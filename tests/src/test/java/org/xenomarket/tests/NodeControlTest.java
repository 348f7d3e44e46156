package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED",
                    Size.vcpus(8).memoryMib(16384).diskGib(200));
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
                String lease = api + "/leases/" + e2e.bid(api, sponsor, place,
                        Size.vcpus(1).memoryMib(1024).diskGib(10)).get("leaseId").asText();
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

    @Test
    void aLeaseBootsTheCatalogueImageItsBidNamedAndAnImageWhoseChecksumDiffersFailsTheLease() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-node-images");
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String operator = "Bearer " + E2e.account("OPERATOR", "operator");
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            // The catalogue's files, as an image server (here the file system) offers them.
            Path served = Files.createDirectories(work.resolve("served"));
            Path kernel = Files.writeString(served.resolve("vmlinuz"), "catalogue kernel");
            Path initrd = Files.writeString(served.resolve("initrd.img"), "catalogue initrd");
            String good = "good-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            String corrupt = "corrupt-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            e2e.call("POST", api + "/images", operator, """
                    {"name": "%s", "kernel": {"url": "%s", "sha256": "%s"},
                     "initrd": {"url": "%s", "sha256": "%s"}, "cmdline": "console=ttyS0 catalogue"}"""
                    .formatted(good, kernel.toUri(), E2e.sha256(kernel), initrd.toUri(), E2e.sha256(initrd)), 201);
            // The catalogue names a checksum the served kernel does not have (a corrupted upload, say).
            e2e.call("POST", api + "/images", operator, """
                    {"name": "%s", "kernel": {"url": "%s", "sha256": "%s"},
                     "initrd": {"url": "%s", "sha256": "%s"}}"""
                    .formatted(corrupt, kernel.toUri(), "0".repeat(64), initrd.toUri(), E2e.sha256(initrd)), 201);

            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED",
                    Size.vcpus(8).memoryMib(16384).diskGib(200));
            Path vmmDir = work.resolve("vmm");
            Path stateDir = work.resolve("agent-state");
            Map<String, String> settings = AgentProcess.simulatedSettings(market.baseUrl(), serverId, stateDir, vmmDir,
                    work);
            try (AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())))) {
                e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals,
                        Duration.ofSeconds(60), agent);
                String bidTemplate = """
                        {"resources": {"vcpus": 1, "memoryMib": 1024, "diskGib": 10},
                         "placement": {"latitude": %s, "longitude": %s, "withinKm": 50}, "image": "%s",
                         "durationHours": 1, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}""";

                String goodLease = e2e.call("POST", api + "/bids", sponsor,
                        bidTemplate.formatted(place.lat(), place.lon(), good), 201).get("leaseId").asText();
                e2e.await(() -> e2e.state(api + "/leases/" + goodLease, sponsor), "RUNNING"::equals,
                        Duration.ofSeconds(30), agent);
                String guest = guestEntry(vmmDir.resolve("simulated-host.properties"), goodLease);
                // It boots the verified copy in the agent's image cache, with the catalogue's command line.
                assertTrue(guest.contains(E2e.sha256(kernel) + " " + stateDir.resolve("images").resolve(E2e.sha256(kernel)))
                        && guest.contains("cmdline=console=ttyS0 catalogue"), guest);

                String badLease = e2e.call("POST", api + "/bids", sponsor,
                        bidTemplate.formatted(place.lat(), place.lon(), corrupt), 201).get("leaseId").asText();
                e2e.await(() -> e2e.state(api + "/leases/" + badLease, sponsor), "FAILED"::equals,
                        Duration.ofSeconds(30), agent);
                com.fasterxml.jackson.databind.JsonNode bad = e2e.call("GET", api + "/leases/" + badLease, sponsor, null, 200);
                String reason = bad.get("stateReason").asText();
                assertTrue(reason.contains("IMAGE_CHECKSUM_MISMATCH") && reason.contains("0".repeat(64)), reason);
                // The catalogue image was at fault, not the server: its reliability does not suffer.
                assertEquals("IMAGE", bad.get("failureCause").asText(), bad.toString());
                assertEquals(0, e2e.call("GET", api + "/servers/" + serverId, provider, null, 200)
                        .at("/reliability/failedLeases").asInt());
                assertEquals("", guestEntry(vmmDir.resolve("simulated-host.properties"), badLease), "nothing was started");
                assertEquals("RUNNING", e2e.state(api + "/leases/" + goodLease, sponsor), "the other lease runs on");
                assertTrue(agent.isAlive());
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
