package org.xenomarket.vmm.hypervisor.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.HostPrerequisite;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.image.ImageRef;
import org.xenomarket.vmm.image.ImageVerifier;

/**
 * Saves a real guest on qemu:///system and restores it under another lease: the guest's counter
 * goes on from where it was, in the same boot, rather than starting again. Software emulation
 * (domain type qemu), as in {@link QemuRealGuestTest}; needs libvirtd, the cloud kernel, busybox and
 * qemu-img, which {@code .ci/setup-libvirt.sh} installs.
 */
class QemuSaveRestoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Path dir;
    private LibvirtHypervisor hypervisor;
    private final LeaseId saved = LeaseId.of("it-save-" + UUID.randomUUID().toString().substring(0, 8));
    private final LeaseId restored = LeaseId.of("it-rest-" + UUID.randomUUID().toString().substring(0, 8));
    private CloudKernel kernel;

    @BeforeEach
    void connect() throws Exception {
        kernel = LocalLibvirtd.requireKernel();
        HostPrerequisite.require(HostCommand.find("qemu-img", HostCommand.searchPath()).isPresent(),
                "qemu-img is not installed (qemu-utils); run .ci/setup-libvirt.sh");
        dir = Files.createTempDirectory("xenomarket-vmm-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hypervisor = LibvirtHypervisor.connect(
                LibvirtSettings.forUri("qemu:///system", dir.resolve("leases")).withDomainType(DomainType.QEMU));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (hypervisor != null) {
            for (LeaseId lease : List.of(saved, restored)) {
                try {
                    hypervisor.stop(lease, Duration.ZERO);
                } catch (GuestNotFound alreadyGone) {
                    // Saved away or stopped by the test, as it should be.
                }
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

    private GuestSpec spec(LeaseId lease) throws Exception {
        Path initrd = dir.resolve("initrd.img");
        if (!Files.exists(initrd)) {
            BusyboxInitramfs.writeCounter(initrd);
        }
        BootImage boot = new BootImage.Kernel(
                new ImageRef(kernel.image(), ImageVerifier.sha256Of(kernel.image())),
                new ImageRef(initrd, ImageVerifier.sha256Of(initrd)),
                "console=ttyS0 quiet");
        return new GuestSpec(lease, 1, 128, 100, DiskSpec.unlimited(1), NetworkLimits.unlimited(), boot);
    }

    @Test
    void aRestoredGuestCountsOnInTheSameBootUnderItsNewLease() throws Exception {
        hypervisor.start(spec(saved));
        Path firstConsole = hypervisor.consoleLog(saved).orElseThrow();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> counts(firstConsole).size() >= 5);
        Count beforeSave = last(counts(firstConsole));

        double load = loadAverage();
        long saving = System.nanoTime();
        SavedGuest files = hypervisor.save(saved, dir.resolve("saved"));
        double saveSeconds = (System.nanoTime() - saving) / 1e9;

        assertFalse(hypervisor.guests().stream().anyMatch(g -> g.lease().equals(saved)), "no longer runs here");
        assertFalse(Files.exists(dir.resolve("leases").resolve(saved.value())), "its lease files are removed");
        assertEquals(Optional.empty(), QemuImg.find(Duration.ofMinutes(1)).info(files.diskFile()).backingFile());
        long stateBytes = Files.size(files.stateFile());
        long diskBytes = Files.size(files.diskFile());

        long restoring = System.nanoTime();
        Guest guest = hypervisor.restore(spec(restored), files);
        double restoreSeconds = (System.nanoTime() - restoring) / 1e9;
        System.out.printf("real guest save/restore (TCG, 1 vCPU, 128 MiB, load %.1f): state file %.1f MiB, disk"
                        + " %.1f MiB, save %.2f s, restore %.2f s%n", load, stateBytes / 1048576.0,
                diskBytes / 1048576.0, saveSeconds, restoreSeconds);

        assertEquals(restored, guest.lease());
        assertEquals(GuestState.RUNNING, guest.state());
        assertTrue(hypervisor.guests().stream().anyMatch(g -> g.lease().equals(restored)), "listed under its new lease");
        assertTrue(hypervisor.definition(restored).contains("id=\"" + restored.value() + "\""),
                "its metadata names the new lease");
        Path secondConsole = hypervisor.consoleLog(restored).orElseThrow();
        assertTrue(secondConsole.startsWith(dir.resolve("leases").resolve(restored.value())), secondConsole.toString());
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> counts(secondConsole).size() >= 3);
        List<Count> after = counts(secondConsole);
        assertEquals(beforeSave.boot(), after.get(0).boot(), "the same boot goes on");
        assertTrue(after.get(0).n() > beforeSave.n(),
                "the count goes on from " + beforeSave.n() + ", not from 1: " + after.get(0).n());
        assertFalse(Files.readString(secondConsole).contains(BusyboxInitramfs.READY_MARKER), "no second boot");
        assertTrue(hypervisor.sample(restored).cpuTimeNs() > 0, "the restored guest is metered");

        hypervisor.stop(restored, Duration.ZERO);
        assertFalse(hypervisor.guests().stream().anyMatch(g -> g.lease().equals(restored)), "stopped");
        assertFalse(Files.exists(dir.resolve("leases").resolve(restored.value())), "its lease files are removed");
    }

    private record Count(long n, String boot) {
    }

    private static List<Count> counts(Path console) throws Exception {
        if (!Files.exists(console)) {
            return List.of();
        }
        // Only whole lines: the guest writes while this reads, so the file's last line may be cut mid-way
        // (CI once read a boot id cut to its first 8 characters).
        String text = Files.readString(console);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines()
                .map(line -> line.strip())
                .filter(line -> line.startsWith(BusyboxInitramfs.COUNT_PREFIX))
                .map(line -> line.substring(BusyboxInitramfs.COUNT_PREFIX.length()).split(" "))
                .filter(words -> words.length == 2)
                .map(words -> new Count(Long.parseLong(words[0]), words[1]))
                .toList();
    }

    private static Count last(List<Count> counts) {
        return counts.get(counts.size() - 1);
    }

    private static double loadAverage() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
