package org.xenomarket.vmm.hypervisor.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.SchedParameter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.image.ImageRef;
import org.xenomarket.vmm.image.ImageVerifier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Boots a real guest on qemu:///system: the Debian cloud kernel with a busybox initramfs built
 * here, under software emulation (domain type qemu) because KVM is not available in CI. Needs
 * libvirtd, the cloud kernel and busybox-static, which {@code .ci/setup-libvirt.sh} installs.
 */
class QemuRealGuestTest {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

    private Path dir;
    private LibvirtHypervisor hypervisor;
    private LeaseId lease;
    private CloudKernel kernel;

    @BeforeEach
    void connect() throws Exception {
        kernel = LocalLibvirtd.requireKernel();
        // QEMU runs as libvirt-qemu and must be able to walk into the lease directories.
        dir = Files.createTempDirectory("xenomarket-vmm-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hypervisor = LibvirtHypervisor.connect(
                LibvirtSettings.forUri("qemu:///system", dir.resolve("leases")).withDomainType(DomainType.QEMU));
        lease = LeaseId.of("it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (hypervisor != null) {
            try {
                hypervisor.stop(lease, Duration.ZERO);
            } catch (GuestNotFound alreadyGone) {
                // The test stopped it, as it should.
            }
            hypervisor.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private GuestSpec spec(boolean honourPowerButton, boolean busy, int cpuQuotaPercent) throws IOException {
        return spec(BusyboxInitramfs.Behaviour.of(honourPowerButton, busy), cpuQuotaPercent);
    }

    private GuestSpec spec(BusyboxInitramfs.Behaviour behaviour, int cpuQuotaPercent) throws IOException {
        Path initrd = dir.resolve("initrd.img");
        BusyboxInitramfs.write(initrd, kernel, behaviour);
        BootImage boot = new BootImage.Kernel(
                new ImageRef(kernel.image(), ImageVerifier.sha256Of(kernel.image())),
                new ImageRef(initrd, ImageVerifier.sha256Of(initrd)),
                "console=ttyS0 quiet");
        // The disk throttles are checked by QEMU itself, so a real boot proves <iotune> is accepted.
        return new GuestSpec(lease, 1, 256, cpuQuotaPercent, new DiskSpec(1, 50_000_000, 50_000_000, 1000),
                NetworkLimits.unlimited(), boot);
    }

    @Test
    void bootsMetersSuspendsAndShutsDownARealGuest() throws Exception {
        GuestSpec spec = spec(true, true, 50);
        long startedAt = System.nanoTime();
        Guest guest = hypervisor.start(spec);
        GuestStats atStart = hypervisor.sample(lease);

        Duration boot = awaitMarker(startedAt);
        System.out.printf("real guest boot (TCG, 1 vCPU at 50%% quota): %.1f s%n", boot.toMillis() / 1000.0);

        assertEquals(GuestState.RUNNING, guest.state());
        assertTrue(hypervisor.guests().stream().anyMatch(g -> g.lease().equals(lease)), "listed with its lease");
        GuestStats booted = hypervisor.sample(lease);
        assertTrue(booted.cpuTimeNs() > atStart.cpuTimeNs(),
                "CPU time grows while booting: " + atStart.cpuTimeNs() + " -> " + booted.cpuTimeNs());
        assertEquals(256, booted.memoryMib());
        System.out.printf("real guest CPU time at the marker: %.1f s%n", booted.cpuTimeNs() / 1e9);
        assertCapsApplied();

        // The guest spins after the marker; its vCPU may run at most half the time (quota 50%).
        long before = vcpuTimeNs();
        long windowStart = System.nanoTime();
        Thread.sleep(2000);
        long used = vcpuTimeNs() - before;
        long window = System.nanoTime() - windowStart;
        System.out.printf("real guest vCPU use at 50%% quota while spinning: %.0f%%%n", 100.0 * used / window);
        assertTrue(used > 0, "a spinning guest's vCPU runs");
        assertTrue(used <= window * 0.55 + 20_000_000, "the CPU quota holds: " + used + " ns in " + window + " ns");

        hypervisor.suspend(lease);
        // The guest's CPU time also counts QEMU's own threads, which tick on while it is paused;
        // its vCPU threads are what must stand still.
        long pausedVcpuTime = vcpuTimeNs();
        Thread.sleep(500);
        assertEquals(pausedVcpuTime, vcpuTimeNs(), "a paused guest's vCPUs do not run");
        assertEquals(GuestState.PAUSED, stateOfLease());
        hypervisor.resume(lease);
        assertEquals(GuestState.RUNNING, stateOfLease());

        long stopAt = System.nanoTime();
        StopOutcome outcome = hypervisor.stop(lease, Duration.ofSeconds(60));
        System.out.printf("real guest graceful shutdown: %.1f s%n", (System.nanoTime() - stopAt) / 1e9);

        assertEquals(StopOutcome.SHUT_DOWN, outcome, "the guest powers off on the ACPI request");
        assertGone();
    }

    @Test
    void destroysARealGuestThatIgnoresTheShutdownRequest() throws Exception {
        long startedAt = System.nanoTime();
        hypervisor.start(spec(false, false, 100));
        Duration boot = awaitMarker(startedAt);
        System.out.printf("real guest boot (TCG, 1 vCPU uncapped): %.1f s%n", boot.toMillis() / 1000.0);

        StopOutcome outcome = hypervisor.stop(lease, Duration.ofSeconds(3));

        assertEquals(StopOutcome.DESTROYED, outcome);
        assertGone();
    }

    @Test
    void aRealGuestReadsItsPreemptionNoticeFromItsVirtioSerialPort() throws Exception {
        long startedAt = System.nanoTime();
        hypervisor.start(spec(new BusyboxInitramfs.Behaviour(false, false, true, Optional.empty()), 100));
        awaitMarker(startedAt);
        Instant end = Instant.parse("2026-11-25T18:45:00Z");

        hypervisor.announcePreemption(lease, end);

        String notice = BusyboxInitramfs.NOTICE_PREFIX + "{\"event\":\"preempt-notice\",\"lease\":\"" + lease.value()
                + "\",\"end\":\"2026-11-25T18:45:00Z\"}";
        Duration delivery = awaitConsole(notice, System.nanoTime());
        System.out.printf("real guest read its pre-emption notice %.1f s after it was sent%n", delivery.toMillis() / 1000.0);
        // The notice is in the domain's metadata too, for tools on the host.
        assertEquals(Optional.of(end), hypervisor.preemptionNotice(lease));

        // A later notice (the market moved the end) reaches it over the same held connection.
        hypervisor.announcePreemption(lease, end.plusSeconds(60));
        awaitConsole(notice.replace("18:45:00Z", "18:46:00Z"), System.nanoTime());

        assertEquals(StopOutcome.DESTROYED, hypervisor.stop(lease, Duration.ZERO));
        assertGone();
    }

    /** Reads back from libvirt what the running QEMU really got, not what was asked for. */
    private void assertCapsApplied() throws Exception {
        Connect connect = new Connect("qemu:///system", true);
        try {
            Domain domain = connect.domainLookupByName(DomainXml.domainName(lease));
            String quota = Arrays.stream(domain.getSchedulerParameters())
                    .filter(p -> p.field.equals("vcpu_quota")).map(SchedParameter::getValueAsString)
                    .findFirst().orElse("none");
            assertEquals("50000", quota, "vCPU quota in force (cgroup)");
            String live = domain.getXMLDesc(0);
            assertTrue(live.contains("<total_iops_sec>1000</total_iops_sec>"), "disk throttle in force:\n" + live);
        } finally {
            connect.close();
        }
    }

    private long vcpuTimeNs() throws Exception {
        Connect connect = new Connect("qemu:///system", true);
        try {
            return Arrays.stream(connect.domainLookupByName(DomainXml.domainName(lease)).getVcpusInfo())
                    .mapToLong(vcpu -> vcpu.cpuTime).sum();
        } finally {
            connect.close();
        }
    }

    private GuestState stateOfLease() throws Exception {
        return hypervisor.guests().stream().filter(g -> g.lease().equals(lease)).findFirst()
                .orElseThrow(() -> new AssertionError("guest of " + lease + " not listed")).state();
    }

    /** Waits for the marker on the serial console; the boot time is start to marker. */
    private Duration awaitMarker(long startedAt) throws Exception {
        return awaitConsole(BusyboxInitramfs.READY_MARKER, startedAt);
    }

    /** Waits until the serial console shows {@code text}; returns how long after {@code since} it did. */
    private Duration awaitConsole(String text, long since) throws Exception {
        Path console = hypervisor.consoleLog(lease).orElseThrow();
        Duration left = Duration.ofNanos(Math.max(1, since + BOOT_TIMEOUT.toNanos() - System.nanoTime()));
        try {
            await().atMost(left).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(console) && Files.readString(console).contains(text));
        } catch (ConditionTimeoutException e) {
            String log = Files.exists(console) ? Files.readString(console) : "(no console log)";
            fail("guest printed no " + text + " within " + BOOT_TIMEOUT + "; console:\n"
                    + log.substring(Math.max(0, log.length() - 3000)));
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private void assertGone() throws Exception {
        assertFalse(hypervisor.guests().stream().anyMatch(g -> g.lease().equals(lease)), "no longer listed");
        assertThrows(GuestNotFound.class, () -> hypervisor.sample(lease));
        assertFalse(Files.exists(dir.resolve("leases").resolve(lease.value())), "lease files removed");
    }
}
