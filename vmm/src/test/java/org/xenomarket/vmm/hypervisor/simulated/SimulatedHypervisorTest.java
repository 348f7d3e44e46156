package org.xenomarket.vmm.hypervisor.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.image.TestImages;

class SimulatedHypervisorTest {

    private static final LeaseId LEASE = LeaseId.of("lease-1");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedHypervisor hypervisor = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock);

    @BeforeEach
    void fullyBusyGuests() {
        hypervisor.defaultLoad(new GuestLoad(1.0, 1_000_000, 50_000_000, 2_000, 1_000));
    }

    private GuestSpec spec(int vcpus, int quotaPercent, int egressMbit) throws Exception {
        return new GuestSpec(LEASE, vcpus, 1024, quotaPercent, new DiskSpec(10, 0, 500, 0),
                new NetworkLimits(0, egressMbit), TestSpecs.kernelBoot(dir));
    }

    @Test
    void cpuTimeGrowsWithTheClockBoundedByVcpusAndQuota() throws Exception {
        hypervisor.start(spec(2, 50, 0));

        clock.advance(Duration.ofSeconds(10));
        GuestStats stats = hypervisor.sample(LEASE);

        // 2 vCPUs at 50% each, fully busy, for 10 s: 10 s of CPU time.
        assertEquals(10_000_000_000L, stats.cpuTimeNs());
        assertEquals(1024, stats.memoryMib());
        assertEquals(clock.instant(), stats.sampledAt());
    }

    @Test
    void networkAndDiskRatesAreCappedByTheLease() throws Exception {
        hypervisor.start(spec(1, 100, 100));

        clock.advance(Duration.ofSeconds(2));
        GuestStats stats = hypervisor.sample(LEASE);

        // Egress is capped at 100 Mbit/s = 12.5 MB/s, below the 50 MB/s the load wants.
        assertEquals(25_000_000L, stats.netTxBytes());
        assertEquals(2_000_000L, stats.netRxBytes());
        assertEquals(4_000L, stats.diskReadBytes());
        // Writes are throttled at 500 B/s by the disk spec.
        assertEquals(1_000L, stats.diskWriteBytes());
    }

    @Test
    void aSuspendedGuestAccruesNothingUntilResumed() throws Exception {
        hypervisor.start(spec(1, 100, 0));
        clock.advance(Duration.ofSeconds(1));
        hypervisor.suspend(LEASE);
        assertEquals(GuestState.PAUSED, hypervisor.guests().get(0).state());

        clock.advance(Duration.ofSeconds(100));
        long whileSuspended = hypervisor.sample(LEASE).cpuTimeNs();
        hypervisor.resume(LEASE);
        clock.advance(Duration.ofSeconds(1));

        assertEquals(1_000_000_000L, whileSuspended);
        assertEquals(2_000_000_000L, hypervisor.sample(LEASE).cpuTimeNs());
    }

    @Test
    void listsRunningGuestsWithTheirLeases() throws Exception {
        hypervisor.start(TestSpecs.small("a", dir));
        hypervisor.start(TestSpecs.small("b", dir));

        List<LeaseId> leases = hypervisor.guests().stream().map(Guest::lease).toList();

        assertEquals(List.of(LeaseId.of("a"), LeaseId.of("b")), leases);
    }

    @Test
    void stopsGracefullyAndForgetsTheGuest() throws Exception {
        hypervisor.start(spec(1, 100, 0));

        assertEquals(StopOutcome.SHUT_DOWN, hypervisor.stop(LEASE, Duration.ofSeconds(30)));

        assertTrue(hypervisor.guests().isEmpty());
        assertThrows(GuestNotFound.class, () -> hypervisor.sample(LEASE));
    }

    @Test
    void destroysAGuestThatIgnoresShutdown() throws Exception {
        hypervisor.start(spec(1, 100, 0));
        hypervisor.hang(LEASE);

        assertEquals(StopOutcome.DESTROYED, hypervisor.stop(LEASE, Duration.ofSeconds(30)));
        assertTrue(hypervisor.guests().isEmpty());
    }

    @Test
    void aCrashedGuestIsGone() throws Exception {
        hypervisor.start(spec(1, 100, 0));
        hypervisor.crash(LEASE);

        assertThrows(GuestNotFound.class, () -> hypervisor.stop(LEASE, Duration.ZERO));
    }

    @Test
    void refusesALeaseBeyondTheFreeCapacity() throws Exception {
        hypervisor.start(TestSpecs.sized("first", 6, 1024, 10, dir));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class,
                () -> hypervisor.start(TestSpecs.sized("second", 4, 1024, 10, dir)));

        assertEquals(GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, failed.reason());
        assertTrue(failed.getMessage().contains("4 vCPUs requested, 2 free"), failed.getMessage());
        assertEquals(1, hypervisor.guests().size());
        assertEquals(new HostCapacity(2, 16_384 - 1024, 90), hypervisor.freeCapacity());
    }

    @Test
    void refusesAnImageWithTheWrongChecksumAndRunsNothing() throws Exception {
        BootImage.Kernel good = (BootImage.Kernel) TestSpecs.kernelBoot(dir);
        BootImage bad = new BootImage.Kernel(good.kernel(), TestImages.withWrongChecksum(good.initrd()), "");
        GuestSpec spec = new GuestSpec(LEASE, 1, 128, 100, DiskSpec.none(), NetworkLimits.unlimited(), bad);

        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.start(spec));

        assertEquals(GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH, failed.reason());
        assertTrue(hypervisor.guests().isEmpty());
    }

    @Test
    void refusesASecondGuestForTheSameLease() throws Exception {
        hypervisor.start(spec(1, 100, 0));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.start(spec(1, 100, 0)));

        assertEquals(GuestStartFailed.Reason.ALREADY_RUNNING, failed.reason());
    }

    @Test
    void countersAreMonotonicAcrossLoadChanges() throws Exception {
        hypervisor.start(spec(1, 100, 0));
        clock.advance(Duration.ofSeconds(5));
        GuestStats before = hypervisor.sample(LEASE);

        hypervisor.load(LEASE, GuestLoad.idle());
        clock.advance(Duration.ofSeconds(5));
        GuestStats after = hypervisor.sample(LEASE);

        assertEquals(before.cpuTimeNs(), after.cpuTimeNs());
        assertEquals(before.netTxBytes(), after.netTxBytes());
    }

    @Test
    void suspensionAndPreemptionNoticesAreKeptInTheHostFileAcrossAgentRestarts(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("host.properties");
        SimulatedHypervisor first = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock, file);
        GuestSpec spec = new GuestSpec(LeaseId.of("kept"), 2, 1024, 30, DiskSpec.unlimited(5), new NetworkLimits(0, 40),
                TestSpecs.kernelBoot(dir));
        first.start(spec);
        first.suspend(spec.lease());
        java.time.Instant end = java.time.Instant.parse("2026-11-25T16:00:00Z");
        first.announcePreemption(spec.lease(), end);

        SimulatedHypervisor again = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock, file);
        assertEquals(GuestState.PAUSED, again.guests().get(0).state());
        assertEquals(end, again.preemptionNotice(spec.lease()));
        assertEquals(30, again.guestSpec(spec.lease()).cpuQuotaPercent());
        assertEquals(40, again.guestSpec(spec.lease()).network().egressMbit());
        again.resume(spec.lease());
        assertEquals(GuestState.RUNNING,
                new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock, file).guests().get(0).state());
    }

    @Test
    void acceptsPassedThroughGpusReportsThemAndKeepsThemAcrossAgentRestarts(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("host.properties");
        SimulatedHypervisor first = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock, file);
        List<org.xenomarket.vmm.hypervisor.PciAddress> gpus = List.of(
                org.xenomarket.vmm.hypervisor.PciAddress.parse("0000:65:00.0"),
                org.xenomarket.vmm.hypervisor.PciAddress.parse("0000:66:00.0"));
        GuestSpec spec = new GuestSpec(LeaseId.of("gpu"), 2, 1024, 100, DiskSpec.unlimited(5), new NetworkLimits(0, 0),
                TestSpecs.kernelBoot(dir), gpus);
        first.start(spec);

        assertEquals(java.util.Map.of(LeaseId.of("gpu"), gpus), first.passthrough());
        SimulatedHypervisor again = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock, file);
        assertEquals(gpus, again.guestSpec(LeaseId.of("gpu")).passthrough());

        GuestSpec sameDevice = new GuestSpec(LeaseId.of("other"), 1, 512, 100, DiskSpec.unlimited(5),
                new NetworkLimits(0, 0), TestSpecs.kernelBoot(dir), List.of(gpus.get(1)));
        org.xenomarket.vmm.hypervisor.GuestStartFailed refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.xenomarket.vmm.hypervisor.GuestStartFailed.class, () -> again.start(sameDevice));
        assertEquals(org.xenomarket.vmm.hypervisor.GuestStartFailed.Reason.HYPERVISOR_REFUSED, refused.reason());
        assertEquals(1, again.guests().size(), "the refused guest is not running");
    }
}
