package org.xenomarket.vmm.hypervisor.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.HostPrerequisite;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.libvirt.EgressPolicing.Outcome;
import org.xenomarket.vmm.hypervisor.libvirt.EgressPolicing.Verdict;

/**
 * The egress policing probe on this host's real kernel, ip and tc. Whether its verdict agrees
 * with libvirt's own behaviour on a real guest is {@link QemuEgressCapTest}'s part; here: it
 * really adds its veth pair and always deletes it, never deletes an interface that is not its
 * own, says which command is missing, and is run only where a tc cap would be.
 */
class EgressPolicingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static void assumeRoot() {
        // Adding an interface needs CAP_NET_ADMIN; the agent on qemu:///system runs as root.
        HostPrerequisite.require("root".equals(System.getProperty("user.name")), "the probe needs root");
    }

    private static String uniqueName() {
        return EgressPolicing.INTERFACE_PREFIX + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    }

    @Test
    void theProbeAddsItsVethPairAndDeletesItWhateverTheKernelSays() throws Exception {
        assumeRoot();
        String name = uniqueName();
        Set<String> before = probeInterfaces();
        Process monitor = new ProcessBuilder("ip", "monitor", "link").redirectErrorStream(true)
                .redirectOutput(dir.resolve("monitor.log").toFile()).start();
        try {
            awaitMonitoring(monitor);
            Verdict verdict = EgressPolicing.onThisHost().probe(name);
            System.out.println("egress policing on this host: " + verdict);

            assertNotEquals(Outcome.CANNOT_CHECK, verdict.outcome(), "as root, with iproute2, the probe runs: " + verdict);
            // The kernel announces the pair when it is added and again when it is deleted.
            String seen = awaitInMonitor(monitor, "Deleted", name);
            assertTrue(seen.lines().anyMatch(line -> line.contains(name) && !line.startsWith("Deleted")),
                    "the probe really added " + name + ":\n" + seen);
        } finally {
            monitor.destroy();
        }
        assertFalse(interfaces().contains(name), "the pair is gone: " + interfaces());
        assertFalse(interfaces().contains(name + "p"), "both ends are gone: " + interfaces());
        assertEquals(before, probeInterfaces(), "`ip link` lists the same probe interfaces as before");
    }

    @Test
    void aNameTakenBySomeoneElseIsNotProbedAndNotDeleted() throws Exception {
        assumeRoot();
        String name = uniqueName();
        run("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        try {
            Verdict verdict = EgressPolicing.onThisHost().probe(name);

            assertEquals(Outcome.CANNOT_CHECK, verdict.outcome(), verdict.toString());
            assertTrue(verdict.detail().contains("ip link add " + name) && verdict.detail().contains("exists"),
                    "names the command and the kernel's answer: " + verdict.detail());
            assertTrue(interfaces().contains(name), "the other's interface is still there: " + interfaces());
        } finally {
            // Not asserted: had the probe wrongly deleted it, the assertion above says so.
            HostCommand.run(WAIT, List.of("ip", "link", "del", name));
        }
    }

    @Test
    void aHostWithoutIpOrTcCannotBeCheckedAndSaysWhichIsMissing() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Verdict noIp = EgressPolicing.withCommandsIn(List.of(empty)).probe();
        assertEquals(Outcome.CANNOT_CHECK, noIp.outcome());
        assertTrue(noIp.detail().contains("the ip command"), noIp.detail());

        Path onlyIp = Files.createDirectory(dir.resolve("only-ip"));
        Path ip = HostCommand.find("ip", HostCommand.searchPath()).orElseThrow(() -> new AssertionError("no ip here"));
        Files.createSymbolicLink(onlyIp.resolve("ip"), ip);
        Set<String> before = probeInterfaces();
        Verdict noTc = EgressPolicing.withCommandsIn(List.of(onlyIp)).probe();
        assertEquals(Outcome.CANNOT_CHECK, noTc.outcome());
        assertTrue(noTc.detail().contains("the tc command") && noTc.detail().contains("libvirt needs it"), noTc.detail());
        assertEquals(before, probeInterfaces(), "nothing was added without tc to probe with");
    }

    @Test
    void onlyAQemuOrKvmGuestOnANetworkOfThisHostsLibvirtdIsCappedWithTc() {
        Path work = dir.resolve("leases");
        LibvirtSettings system = LibvirtSettings.forUri("qemu:///system", work);
        HostCapacity capacity = new HostCapacity(2, 2048, 20);

        assertEquals(Optional.empty(), EgressPolicing.whyNotNeeded(system.withNetwork("default")));
        assertEquals(Optional.empty(), EgressPolicing.whyNotNeeded(
                system.withDomainType(DomainType.QEMU).withNetwork("default").withCapacity(capacity)));
        assertEquals(Optional.empty(), EgressPolicing.whyNotNeeded(
                LibvirtSettings.forUri("qemu+unix:///system", work).withNetwork("default")));

        assertTrue(EgressPolicing.whyNotNeeded(system).orElseThrow().contains("no NIC"));
        assertTrue(EgressPolicing.whyNotNeeded(LibvirtSettings.forUri("xen:///system", work).withNetwork("default"))
                .orElseThrow().contains("libxl"));
        assertTrue(EgressPolicing.whyNotNeeded(LibvirtSettings.forUri("test:///default", work).withNetwork("default"))
                .isPresent());
        assertTrue(EgressPolicing.whyNotNeeded(LibvirtSettings.forUri("qemu+ssh://root@host/system", work)
                .withNetwork("default")).orElseThrow().contains("not on this host"));
    }

    /** Interfaces whose name says they are a probe's, ours or a killed agent's. */
    private static Set<String> probeInterfaces() throws Exception {
        return interfaces().stream().filter(name -> name.startsWith(EgressPolicing.INTERFACE_PREFIX))
                .collect(Collectors.toSet());
    }

    /** Every interface {@code ip -o link show} lists, by name (a veth end is listed as name@peer). */
    private static Set<String> interfaces() throws Exception {
        return run("ip", "-o", "link", "show").lines()
                .map(line -> line.split(":\\s+", 3)[1])
                .map(name -> name.contains("@") ? name.substring(0, name.indexOf('@')) : name)
                .collect(Collectors.toSet());
    }

    /**
     * Waits until {@code ip monitor} is listening: it sees a pair of this test's own come and go.
     * Without this the probe might be over before the monitor subscribed.
     */
    private void awaitMonitoring(Process monitor) throws Exception {
        String marker = uniqueName();
        run("ip", "link", "add", marker, "type", "veth", "peer", "name", marker + "p");
        run("ip", "link", "del", marker);
        awaitInMonitor(monitor, "Deleted", marker);
    }

    /** The monitor's output once a line starting with {@code prefix} names {@code name}. */
    private String awaitInMonitor(Process monitor, String prefix, String name) throws Exception {
        Path log = dir.resolve("monitor.log");
        return await("ip monitor to see '" + prefix + " ... " + name + "'")
                .atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .failFast("ip monitor exited", () -> !monitor.isAlive())
                .until(() -> Files.readString(log, StandardCharsets.UTF_8),
                        seen -> seen.lines().anyMatch(line -> line.startsWith(prefix) && line.contains(name)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        HostCommand.Result result = HostCommand.run(WAIT, List.of(command));
        assertTrue(result.succeeded(), String.join(" ", command) + ": " + result.said());
        return result.output();
    }
}
