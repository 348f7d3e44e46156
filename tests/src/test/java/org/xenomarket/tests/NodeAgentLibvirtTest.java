package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same agent on a real hypervisor: libvirt's qemu:///system with {@code <domain type='qemu'>}
 * (software emulation), booting the host's Debian cloud kernel and its initrd. A lease becomes a
 * real QEMU guest; the agent is killed with -9 and adopts the still-running domain; at the
 * lease's end the domain is stopped and gone. Skipped, saying so, where no libvirtd listens or no
 * cloud kernel is installed ({@code .ci/setup-libvirt.sh} provides both).
 */
class NodeAgentLibvirtTest {

    private static final Path LIBVIRT_SOCKET = Path.of("/run/libvirt/libvirt-sock");

    @Test
    void aLeaseRunsAsARealQemuGuestThatSurvivesAnAgentKillAndIsStoppedAtLeaseEnd() throws Exception {
        HostPrerequisite.require(LibvirtHost.listens(), "no libvirtd listens on " + LIBVIRT_SOCKET);
        Optional<Path> kernel = cloudKernel();
        HostPrerequisite.require(kernel.isPresent(), "no Debian cloud kernel with its initrd in /boot");
        Path initrd = Path.of("/boot", kernel.get().getFileName().toString().replace("vmlinuz-", "initrd.img-"));

        Path work = Files.createTempDirectory("xenomarket-agent-libvirt-");
        // QEMU runs as libvirt's own user and must reach the lease's files below the work directory.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        E2e e2e = new E2e();
        int port = MarketProcess.freePort();
        String leaseId = null;
        AgentProcess agent = null;
        try (MarketProcess market = MarketProcess.start(work.resolve("market.log"), MarketProcess.onTestDatabase(),
                Duration.ofMinutes(3), port)) {
            String api = market.baseUrl() + "/api/v1";
            String provider = "Bearer " + E2e.account("PROVIDER", "provider");
            String sponsor = "Bearer " + E2e.account("SPONSOR", "sponsor");
            E2e.Place place = E2e.Place.random();
            String serverId = e2e.listServer(api, provider, place, "QEMU", Size.vcpus(2).memoryMib(2048).diskGib(20));

            Map<String, String> settings = new java.util.HashMap<>(Map.of(
                    "xenomarket.agent.market-url", market.baseUrl(),
                    "xenomarket.agent.server-id", serverId,
                    "xenomarket.agent.state-dir", work.resolve("agent-state").toString(),
                    "xenomarket.agent.heartbeat-interval", "PT1S",
                    "xenomarket.agent.poll-interval", "PT0.5S",
                    "xenomarket.agent.retry-max", "PT2S",
                    // A guest that cannot find its root disk keeps a vCPU busy; cap it so the host stays usable.
                    "xenomarket.agent.cpu-quota-percent", "20"));
            settings.putAll(Map.of(
                    "xenomarket.agent.image.kernel", kernel.get().toString(),
                    "xenomarket.agent.image.kernel-sha256", E2e.sha256(kernel.get()),
                    "xenomarket.agent.image.initrd", initrd.toString(),
                    "xenomarket.agent.image.initrd-sha256", E2e.sha256(initrd),
                    "xenomarket.vmm.libvirt.uri", "qemu:///system",
                    "xenomarket.vmm.libvirt.domain-type", "qemu",
                    "xenomarket.vmm.work-dir", work.resolve("vmm").toString(),
                    "xenomarket.vmm.capacity.vcpus", "2",
                    "xenomarket.vmm.capacity.memory-mib", "2048",
                    "xenomarket.vmm.capacity.disk-gib", "20"));
            settings.put("xenomarket.vmm.stop-grace", "PT2S");
            Path agentLog = work.resolve("agent.log");
            agent = AgentProcess.start(agentLog, settings, Map.of("XENOMARKET_PROVIDER_TOKEN", provider.substring(7)));
            AgentProcess running = agent;
            e2e.await(() -> e2e.state(api + "/servers/" + serverId, provider), "ACTIVE"::equals, Duration.ofSeconds(60), running);

            JsonNode bid = e2e.bid(api, sponsor, place, Size.vcpus(1).memoryMib(512).diskGib(2));
            leaseId = bid.get("leaseId").asText();
            String lease = api + "/leases/" + leaseId;
            e2e.await(() -> e2e.state(lease, sponsor), "RUNNING"::equals, Duration.ofSeconds(60), running);
            String domain = "xm-" + leaseId;
            assertEquals("running", domainState(domain));
            String runningAt = e2e.call("GET", lease, sponsor, null, 200).get("runningAt").asText();

            agent.kill();
            assertEquals("running", domainState(domain), "the guest does not depend on the agent process");
            agent = AgentProcess.start(agentLog, settings, Map.of());
            agent.awaitOutput("adopted running guest of lease " + leaseId, Duration.ofSeconds(60));
            assertEquals("running", domainState(domain));
            assertEquals(runningAt, e2e.call("GET", lease, sponsor, null, 200).get("runningAt").asText());

            E2e.update("UPDATE lease SET start_at = now() - interval '1 hour', end_at = now() WHERE id = ?",
                    UUID.fromString(leaseId));
            AgentProcess restarted = agent;
            e2e.await(() -> e2e.state(lease, sponsor), "ENDED"::equals, Duration.ofSeconds(60), restarted);
            assertEquals("", domainState(domain), "the domain is gone");
            assertTrue(Files.notExists(work.resolve("vmm").resolve(leaseId)), "the lease's files are removed");
            agent.close();
        } finally {
            if (agent != null) {
                agent.kill();
            }
            if (leaseId != null && !domainState("xm-" + leaseId).isEmpty()) {
                virsh("destroy", "xm-" + leaseId);
            }
        }
    }

    private static Optional<Path> cloudKernel() throws IOException {
        if (!Files.isDirectory(Path.of("/boot"))) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(Path.of("/boot"))) {
            return files.filter(p -> p.getFileName().toString().matches("vmlinuz-.*-cloud-amd64"))
                    .filter(p -> Files.isReadable(Path.of("/boot", p.getFileName().toString().replace("vmlinuz-", "initrd.img-"))))
                    .max(java.util.Comparator.comparing(Path::toString));
        }
    }

    /** The domain's state as virsh names it ("running", ...), or "" when there is no such domain. */
    private static String domainState(String domain) throws IOException, InterruptedException {
        return virsh("domstate", domain);
    }

    private static String virsh(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue() == 0 ? out : "";
    }
}
