package org.xenomarket.vmm.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.HostPrerequisite;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.hypervisor.TestSpecs;

/**
 * Save and the checks before a restore, on libvirt's test driver, which saves and reads save images
 * but restores none under a changed definition (the real restore is {@link QemuSaveRestoreTest}).
 * Needs qemu-img, which {@code .ci/setup-libvirt.sh} installs.
 */
class LibvirtSaveRestoreTest {

    private static final HostCapacity HOST = new HostCapacity(4, 2048, 20);

    @TempDir
    Path images;
    @TempDir
    Path workDir;
    @TempDir
    Path savedDir;

    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws Exception {
        HostPrerequisite.require(HostCommand.find("qemu-img", HostCommand.searchPath()).isPresent(),
                "qemu-img is not installed (qemu-utils); run .ci/setup-libvirt.sh");
        hypervisor = LibvirtHypervisor.connect(LibvirtSettings.forUri("test:///default", workDir).withCapacity(HOST));
    }

    @AfterEach
    void disconnect() throws Exception {
        for (Guest guest : hypervisor.guests()) {
            hypervisor.stop(guest.lease(), Duration.ZERO);
        }
        hypervisor.close();
    }

    private SavedGuest savedGuest() throws Exception {
        hypervisor.start(TestSpecs.sized("lease-a", 1, 512, 2, images));
        return hypervisor.save(LeaseId.of("lease-a"), savedDir);
    }

    private GuestStartFailed refusedRestore(GuestSpec spec, SavedGuest saved) throws Exception {
        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.restore(spec, saved));
        assertTrue(hypervisor.guests().isEmpty(), "nothing runs after a refused restore");
        assertFalse(Files.exists(workDir.resolve(spec.lease().value())), "no lease directory is left");
        assertTrue(Files.exists(saved.diskFile()), "the saved disk stays where the caller had it");
        return failed;
    }

    @Test
    void saveLeavesStateSelfContainedDiskAndManifestAndFreesTheHost() throws Exception {
        SavedGuest saved = savedGuest();

        assertEquals(LeaseId.of("lease-a"), saved.lease());
        assertEquals(SaveImage.TEST, SaveImage.of(saved.stateFile()));
        QemuImg.Info disk = QemuImg.find(Duration.ofMinutes(1)).info(saved.diskFile());
        assertEquals("qcow2", disk.format());
        assertEquals(Optional.empty(), disk.backingFile());
        assertEquals(2L << 30, disk.virtualSize(), "the flattened disk keeps the leased size");
        assertEquals("test", SaveManifest.verify(saved).domainType());
        assertTrue(hypervisor.guests().isEmpty(), "the guest no longer runs here");
        assertEquals(HOST, hypervisor.freeCapacity(), "and holds no capacity");
        assertFalse(Files.exists(workDir.resolve("lease-a")), "its lease files are removed");
    }

    @Test
    void saveRefusesADirectoryThatHoldsASavedGuestAndLeavesTheGuestRunning() throws Exception {
        hypervisor.start(TestSpecs.sized("lease-a", 1, 512, 2, images));
        Files.writeString(savedDir.resolve(LibvirtHypervisor.STATE_FILE), "an earlier save");

        assertThrows(org.xenomarket.vmm.hypervisor.GuestOperationFailed.class,
                () -> hypervisor.save(LeaseId.of("lease-a"), savedDir));
        assertEquals(1, hypervisor.guests().size());
    }

    @Test
    void restoreRefusesAStateFileDamagedOnTheWay() throws Exception {
        SavedGuest saved = savedGuest();
        Files.write(saved.stateFile(), new byte[] {0}, StandardOpenOption.APPEND);

        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 1, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.HOST_STORAGE_FAILED, failed.reason());
        assertTrue(failed.getMessage().contains("is damaged"), failed.getMessage());
    }

    @Test
    void restoreRefusesFilesWithoutTheirManifest() throws Exception {
        SavedGuest saved = savedGuest();
        Files.delete(SaveManifest.of(saved.stateFile()));

        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 1, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.HOST_STORAGE_FAILED, failed.reason());
        assertTrue(failed.getMessage().contains("no manifest"), failed.getMessage());
    }

    @Test
    void restoreRefusesOtherMemoryOrVcpusThanSaved() throws Exception {
        SavedGuest saved = savedGuest();

        GuestStartFailed memory = refusedRestore(TestSpecs.sized("lease-b", 1, 1024, 2, images), saved);
        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED, memory.reason());
        assertTrue(memory.getMessage().contains("saved with 512 MiB of memory and the lease asks for 1024 MiB"),
                memory.getMessage());
        GuestStartFailed vcpus = refusedRestore(TestSpecs.sized("lease-b", 2, 512, 2, images), saved);
        assertTrue(vcpus.getMessage().contains("saved with 1 vCPUs and the lease asks for 2"), vcpus.getMessage());
    }

    @Test
    void restoreRefusesAXenSaveImage() throws Exception {
        Path state = savedDir.resolve("state.sav");
        Files.write(state, "libvirt-xml\n \0 \r<domain type='xen'/>".getBytes(StandardCharsets.ISO_8859_1));
        Path disk = savedDir.resolve("disk.qcow2");
        HostCommand.run(Duration.ofSeconds(30), List.of("qemu-img", "create", "-f", "qcow2", disk.toString(), "16M"));
        SavedGuest saved = new SavedGuest(LeaseId.of("lease-x"), state, disk);
        SaveManifest.write(saved, "xen");

        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 1, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED, failed.reason());
        assertTrue(failed.getMessage().contains("is a Xen (libxl) save image"), failed.getMessage());
    }

    @Test
    void restoreRefusesADiskWithABackingFile() throws Exception {
        SavedGuest saved = savedGuest();
        Path base = savedDir.resolve("base.qcow2");
        HostCommand.run(Duration.ofSeconds(30), List.of("qemu-img", "create", "-f", "qcow2", base.toString(), "16M"));
        Files.delete(saved.diskFile());
        HostCommand.run(Duration.ofSeconds(30), List.of("qemu-img", "create", "-f", "qcow2", "-b", base.toString(),
                "-F", "qcow2", saved.diskFile().toString()));
        Files.delete(SaveManifest.of(saved.stateFile()));
        SaveManifest.write(saved, "test");

        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 1, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.HOST_STORAGE_FAILED, failed.reason());
        assertTrue(failed.getMessage().contains("has a backing file (" + base + ")"), failed.getMessage());
    }

    @Test
    void restoreRefusesALeaseLargerThanTheFreeCapacity() throws Exception {
        SavedGuest saved = savedGuest();

        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 5, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, failed.reason());
    }

    @Test
    void aRestoreLibvirtRefusesLeavesTheSavedDiskWhereItWas() throws Exception {
        SavedGuest saved = savedGuest();

        // The test driver reads the save image but restores none under a changed definition.
        GuestStartFailed failed = refusedRestore(TestSpecs.sized("lease-b", 1, 512, 2, images), saved);

        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED, failed.reason());
        assertTrue(failed.getMessage().contains("xml modification unsupported"), failed.getMessage());
        SaveManifest.verify(saved);
    }
}
