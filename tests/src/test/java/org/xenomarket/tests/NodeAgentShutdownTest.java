package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.hypervisor.libvirt.EgressPolicing;

/**
 * The packaged agent as a provider's service manager sees it: a configuration it cannot run with
 * ends it at once with exit code 2 and the key at fault, before it talks to any market (a libvirt
 * network too, on a host whose kernel cannot police the guests' egress caps); SIGTERM
 * (systemctl stop) ends it after its current round and leaves its guest and lease running, and
 * the next start adopts the guest without registering again; SIGTERM while it still tries to
 * register is a quiet stop too.
 */
class NodeAgentShutdownTest {

    private final E2e e2e = new E2e();

    @Test
    void aBadConfigurationEndsTheAgentWithExitCodeTwoNamingEveryKeyAtFault() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-config");
        Map<String, String> settings = AgentProcess.simulatedSettings("http://127.0.0.1:9", UUID.randomUUID().toString(),
                work.resolve("agent-state"), work.resolve("vmm"), work);
        settings.remove("xenomarket.agent.poll-interval");
        settings.put("xenomarket.vmm.driver", "vmware");
        // The provider's settings file: what the environment or a -D sets is overridden, the rest stands.
        Path file = work.resolve("agent.properties");
        Files.writeString(file, """
                xenomarket.agent.heartbeat-interval=never
                xenomarket.agent.poll-interval=often
                xenomarket.agent.usage.idle-poll=every 15 seconds
                """);
        AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                Map.of("XENOMARKET_AGENT_POLL_INTERVAL", "PT0.5S"), file);
        assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)), agent.output());
        String output = agent.output();
        assertTrue(output.contains("bad configuration"), output);
        assertTrue(output.contains("xenomarket.agent.usage.idle-poll") && output.contains("every 15 seconds"), output);
        assertTrue(output.contains("xenomarket.vmm.driver") && output.contains("vmware"), output);
        assertFalse(output.contains("never"), "-D overrides the file: " + output);
        assertFalse(output.contains("often"), "the environment overrides the file: " + output);
        assertFalse(Files.exists(work.resolve("agent-state").resolve("node.key")), "it did nothing before refusing");

        // A value that converts but cannot work is refused the same way, by the agent's own checks.
        settings.put("xenomarket.vmm.driver", "simulated");
        settings.put("xenomarket.agent.usage.batch-size", "20000");
        agent = AgentProcess.start(work.resolve("agent-again.log"), settings, Map.of());
        assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)), agent.output());
        assertTrue(agent.output().contains("xenomarket.agent.usage.batch-size"), agent.output());

        // So is a settings file that is not there.
        agent = AgentProcess.start(work.resolve("agent-no-file.log"), settings, Map.of(), work.resolve("missing.properties"));
        assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)), agent.output());
        assertTrue(agent.output().contains("missing.properties"), agent.output());

        // And a first start without the provider token, which registering needs.
        settings.remove("xenomarket.agent.usage.batch-size");
        agent = AgentProcess.start(work.resolve("agent-no-token.log"), settings, Map.of());
        assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)), agent.output());
        assertTrue(agent.output().contains("xenomarket.agent.provider-token"), agent.output());
    }

    @Test
    void aNetworkIsRefusedAtStartWhereTheHostCannotPoliceEgressAndTakenWhereItCan() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-policing");
        Map<String, String> settings = AgentProcess.simulatedSettings("http://127.0.0.1:9", UUID.randomUUID().toString(),
                work.resolve("agent-state"), work.resolve("vmm"), work);
        settings.put("xenomarket.vmm.driver", "libvirt");
        settings.put("xenomarket.vmm.libvirt.uri", "qemu:///system");
        settings.put("xenomarket.vmm.libvirt.domain-type", "qemu");
        settings.put("xenomarket.vmm.libvirt.network", "xm-provider-net");
        // What the agent's check will find on this host; the agent must act on it either way.
        EgressPolicing.Verdict verdict = EgressPolicing.onThisHost().probe();
        System.out.println("egress policing on this host: " + verdict);

        if (verdict.polices()) {
            // Past the egress check the agent also needs its network defined and active: a real one.
            try (LibvirtHost host = LibvirtHost.connect()) {
                settings.put("xenomarket.vmm.libvirt.network", host.createNetwork().name());
                try (AgentProcess running = AgentProcess.start(work.resolve("agent.log"), settings,
                        Map.of("XENOMARKET_PROVIDER_TOKEN", "a provider token"))) {
                    // Past the check: it goes on to register (nothing listens on the discard port).
                    running.awaitOutput("cannot register yet", Duration.ofSeconds(60));
                    assertTrue(running.isAlive(), running.output());
                    assertTrue(running.output().contains("this host polices guest egress"), running.output());
                }
            }
            return;
        }
        AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                Map.of("XENOMARKET_PROVIDER_TOKEN", "a provider token"));
        assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)), agent.output());
        String output = agent.output();
        assertTrue(output.contains("bad configuration") && output.contains("xenomarket.vmm.libvirt.network: "), output);
        assertTrue(output.contains("'xm-provider-net'"), "names the network: " + output);
        // The probe's interface name differs from run to run; what the command said does not.
        String said = verdict.detail().contains("failed: ")
                ? verdict.detail().substring(verdict.detail().indexOf("failed: "))
                : verdict.detail();
        assertTrue(output.contains(said), "says what " + verdict.detail() + " said: " + output);
        assertTrue(output.contains("unset xenomarket.vmm.libvirt.network so guests get no NIC"), "says the fix: " + output);
        if (verdict.outcome() == EgressPolicing.Outcome.CANNOT_POLICE) {
            assertTrue(output.contains("act_police"), "names the kernel's missing part: " + output);
        }
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
        assertFalse(Files.exists(work.resolve("agent-state").resolve("node.key")), "it did nothing before refusing");
    }

    @Test
    void sigtermWhileTheMarketCannotBeReachedIsAQuietStop() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-unreachable");
        // Nothing listens on the discard port: registering fails and is retried until the stop.
        Map<String, String> settings = AgentProcess.simulatedSettings("http://127.0.0.1:9", UUID.randomUUID().toString(),
                work.resolve("agent-state"), work.resolve("vmm"), work);
        AgentProcess agent = AgentProcess.start(work.resolve("agent.log"), settings,
                Map.of("XENOMARKET_PROVIDER_TOKEN", "a provider token"));
        agent.awaitOutput("cannot register yet", Duration.ofSeconds(60));
        agent.close();
        assertFalse(agent.isAlive());
        assertTrue(agent.output().contains("node agent stopped before it could register"), agent.output());
        assertFalse(agent.output().contains("\tat "), "no stack trace: " + agent.output());
    }

    @Test
    void sigtermEndsTheAgentButNotItsGuestAndTheNextStartAdoptsIt() throws Exception {
        Path work = Files.createTempDirectory("xenomarket-agent-sigterm");
        try (MarketProcess market = MarketProcess.onTestDatabase(work.resolve("market.log"))) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "SIMULATED",
                    Size.vcpus(8).memoryMib(16384).diskGib(200));
            Path stateDir = work.resolve("agent-state");
            Path vmmDir = work.resolve("vmm");
            Map<String, String> settings = AgentProcess.simulatedSettings(market.baseUrl(), serverId, stateDir, vmmDir, work);
            Path agentLog = work.resolve("agent.log");
            AgentProcess agent = AgentProcess.start(agentLog, settings,
                    Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring("Bearer ".length())));
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals,
                    Duration.ofSeconds(60), agent);
            String leaseId = e2e.bid(api, sponsor, place,
                    Size.vcpus(2).memoryMib(2048).diskGib(20)).get("leaseId").asText();
            String lease = api + "/leases/" + leaseId;
            e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(30), agent);
            String runningAt = e2e.call("GET", lease, sponsor, null, 200).get("runningAt").asText();
            String nodeToken = Files.readString(stateDir.resolve("node-token")).trim();

            agent.close();
            assertFalse(agent.isAlive());
            assertTrue(agent.output().contains("node agent stopped; guests keep running"), agent.output());
            Path host = vmmDir.resolve("simulated-host.properties");
            assertTrue(Files.readString(host).contains(leaseId), "the guest outlives the agent");
            assertEquals("RUNNING", e2e.state(lease, sponsor));

            agent = AgentProcess.start(agentLog, settings, Map.of());
            try (AgentProcess restarted = agent) {
                restarted.awaitOutput("adopted running guest of lease " + leaseId, Duration.ofSeconds(60));
                assertEquals(nodeToken, Files.readString(stateDir.resolve("node-token")).trim(),
                        "it did not register again");
                var after = e2e.call("GET", lease, sponsor, null, 200);
                assertEquals("RUNNING", after.get("state").asText());
                assertEquals(runningAt, after.get("runningAt").asText(), "the guest was adopted, not restarted");
            }
        }
    }
}
