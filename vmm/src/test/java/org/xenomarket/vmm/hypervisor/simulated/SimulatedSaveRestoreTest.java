package org.xenomarket.vmm.hypervisor.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.hypervisor.TestSpecs;

class SimulatedSaveRestoreTest {

    private static final LeaseId OLD = LeaseId.of("lease-old");
    private static final LeaseId NEW = LeaseId.of("lease-new");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedHypervisor here = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock);
    private final SimulatedHypervisor there = new SimulatedHypervisor(new HostCapacity(4, 4_096, 50), clock);

    @BeforeEach
    void fullyBusyGuests() {
        here.defaultLoad(new GuestLoad(1.0, 1_000, 2_000, 3_000, 4_000));
        there.defaultLoad(GuestLoad.idle());
    }

    private GuestSpec spec(LeaseId lease, int memoryMib) throws Exception {
        return new GuestSpec(lease, 2, memoryMib, 100, new DiskSpec(10, 0, 0, 0), new NetworkLimits(0, 0),
                TestSpecs.kernelBoot(dir));
    }

    @Test
    void aSavedGuestIsGoneAndItsCapacityFree() throws Exception {
        here.start(spec(OLD, 1024));

        SavedGuest saved = here.save(OLD, dir.resolve("saved"));

        assertTrue(Files.isRegularFile(saved.stateFile()));
        assertTrue(Files.isRegularFile(saved.diskFile()));
        assertTrue(here.guests().isEmpty());
        assertEquals(here.capacity(), here.freeCapacity());
        assertThrows(GuestNotFound.class, () -> here.sample(OLD));
    }

    @Test
    void savingAGuestThatIsNotHereIsGuestNotFound() {
        assertThrows(GuestNotFound.class, () -> here.save(OLD, dir.resolve("saved")));
    }

    @Test
    void aRestoredGuestRunsUnderTheNewLeaseWithItsCountersAndLoadGoingOn() throws Exception {
        here.start(spec(OLD, 1024));
        clock.advance(Duration.ofSeconds(10));
        GuestStats before = here.sample(OLD);
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));

        clock.advance(Duration.ofSeconds(30)); // the move: the guest is stopped, nothing accrues
        there.restore(spec(NEW, 1024), saved);
        GuestStats resumed = there.sample(NEW);
        assertEquals(before.cpuTimeNs(), resumed.cpuTimeNs());
        assertEquals(before.diskWriteBytes(), resumed.diskWriteBytes());
        // counters that were not zero at the restore: metering must not count from it
        assertNull(resumed.startedAt());

        clock.advance(Duration.ofSeconds(5));
        GuestStats later = there.sample(NEW);
        // the guest's own load moved with it (2 busy vCPUs), not the new host's idle default
        assertEquals(before.cpuTimeNs() + 10_000_000_000L, later.cpuTimeNs());
        assertEquals(before.netTxBytes() + 10_000L, later.netTxBytes());
        assertEquals(GuestState.RUNNING, there.guests().get(0).state());
        assertEquals(NEW, there.guests().get(0).lease());
    }

    @Test
    void aGuestSavedWhileSuspendedStaysSuspendedUntilResumed() throws Exception {
        here.start(spec(OLD, 1024));
        here.suspend(OLD);
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));

        there.restore(spec(NEW, 1024), saved);

        assertEquals(GuestState.PAUSED, there.guests().get(0).state());
    }

    @Test
    void restoreChecksAdmissionAndLeavesNothingWhenItDoesNotFit() throws Exception {
        here.start(spec(OLD, 8_192));
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));

        GuestStartFailed refused = assertThrows(GuestStartFailed.class, () -> there.restore(spec(NEW, 8_192), saved));

        assertEquals(GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, refused.reason());
        assertTrue(there.guests().isEmpty());
    }

    @Test
    void aDamagedDiskIsRefusedByItsChecksum() throws Exception {
        here.start(spec(OLD, 1024));
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));
        Files.writeString(saved.diskFile(), "tampered", StandardCharsets.UTF_8);

        GuestStartFailed refused = assertThrows(GuestStartFailed.class, () -> there.restore(spec(NEW, 1024), saved));

        assertEquals(GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH, refused.reason());
        assertTrue(there.guests().isEmpty());
    }

    @Test
    void aForeignOrDamagedStateFileIsRefused() throws Exception {
        here.start(spec(OLD, 1024));
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));
        String original = Files.readString(saved.stateFile());

        Files.write(saved.stateFile(), new byte[] {(byte) 0x4c, (byte) 0x69, (byte) 0xff, (byte) 0xfe, 0, 1});
        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED,
                assertThrows(GuestStartFailed.class, () -> there.restore(spec(NEW, 1024), saved)).reason());

        Files.writeString(saved.stateFile(), original.replaceAll("(?m)^counters=.*$", "counters=1,2"));
        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED,
                assertThrows(GuestStartFailed.class, () -> there.restore(spec(NEW, 1024), saved)).reason());
        assertTrue(there.guests().isEmpty());
    }

    @Test
    void aSavedMemoryImageResumesOnlyAtItsOwnSize() throws Exception {
        here.start(spec(OLD, 1024));
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));

        GuestStartFailed refused = assertThrows(GuestStartFailed.class, () -> there.restore(spec(NEW, 2048), saved));

        assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED, refused.reason());
    }

    @Test
    void aRestoredGuestKeepsItsCountersAcrossAnAgentRestart() throws Exception {
        Path hostFile = dir.resolve("host.properties");
        here.start(spec(OLD, 1024));
        clock.advance(Duration.ofSeconds(10));
        long cpuAtSave = here.sample(OLD).cpuTimeNs();
        SavedGuest saved = here.save(OLD, dir.resolve("saved"));
        SimulatedHypervisor kept = new SimulatedHypervisor(new HostCapacity(4, 4_096, 50), clock, hostFile);
        kept.defaultLoad(GuestLoad.idle());
        kept.restore(spec(NEW, 1024), saved);

        SimulatedHypervisor again = new SimulatedHypervisor(new HostCapacity(4, 4_096, 50), clock, hostFile);

        assertEquals(NEW, again.guests().get(0).lease());
        assertTrue(again.sample(NEW).cpuTimeNs() >= cpuAtSave);
        assertNull(again.sample(NEW).startedAt());
    }
}
