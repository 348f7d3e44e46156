package org.xenomarket.vmm.hypervisor.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestAdoption;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.image.TestImages;

/** A simulated host kept in a file outlives the object that ran it, as a libvirt host outlives its agent. */
class SimulatedHostFileTest {

    private static final HostCapacity HOST = new HostCapacity(8, 16_384, 100);

    @Test
    void guestsStartedByOneAgentAreFoundByTheNextWithTheirCaps(@TempDir Path dir) throws Exception {
        Path hostFile = dir.resolve("host.properties");
        GuestSpec kernel = new GuestSpec(LeaseId.of("lease-a"), 2, 2048, 40, new DiskSpec(10, 1_000_000, 2_000_000, 300),
                new NetworkLimits(100, 50), TestSpecs.kernelBoot(dir));
        GuestSpec disk = new GuestSpec(LeaseId.of("lease-b"), 1, 512, 100, DiskSpec.unlimited(5), NetworkLimits.unlimited(),
                new BootImage.Disk(TestImages.write(dir, "disk.img", "disk bytes"), BootImage.DiskFormat.QCOW2));
        try (SimulatedHypervisor first = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            first.start(kernel);
            first.start(disk);
        }

        try (SimulatedHypervisor second = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            List<Guest> guests = second.guests();
            assertEquals(List.of(LeaseId.of("lease-a"), LeaseId.of("lease-b")), guests.stream().map(Guest::lease).toList());
            assertEquals(new HostCapacity(5, 16_384 - 2048 - 512, 85), second.freeCapacity());
            assertEquals(kernel, second.guestSpec(LeaseId.of("lease-a")));
            assertEquals(disk, second.guestSpec(LeaseId.of("lease-b")));
            second.stop(LeaseId.of("lease-a"), Duration.ofSeconds(1));
        }

        try (SimulatedHypervisor third = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            assertEquals(List.of(LeaseId.of("lease-b")), third.guests().stream().map(Guest::lease).toList());
            assertThrows(GuestNotFound.class, () -> third.sample(LeaseId.of("lease-a")));
        }
    }

    @Test
    void aRestartedAgentAdoptsGuestsOfActiveLeasesAndRemovesTheRest(@TempDir Path dir) throws Exception {
        Path hostFile = dir.resolve("host.properties");
        try (SimulatedHypervisor before = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            before.start(TestSpecs.small("still-leased", dir));
            before.start(TestSpecs.small("lease-over", dir));
        }
        try (SimulatedHypervisor after = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            var report = new GuestAdoption(after, Duration.ofSeconds(1))
                    .reconcile(java.util.Set.of(LeaseId.of("still-leased")));
            assertEquals(List.of(LeaseId.of("still-leased")), report.adopted().stream().map(Guest::lease).toList());
            assertEquals(List.of(LeaseId.of("lease-over")), report.removed());
        }
        try (SimulatedHypervisor later = new SimulatedHypervisor(HOST, Clock.systemUTC(), hostFile)) {
            assertTrue(later.guests().stream().noneMatch(g -> g.lease().value().equals("lease-over")),
                    "the removal was kept in the host file");
        }
    }

    @Test
    void aReloadedGuestsCountersGoOnAsIfItHadRunAllAlong(@TempDir Path dir) throws Exception {
        Path hostFile = dir.resolve("host.properties");
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-11-25T10:00:00Z"));
        GuestSpec spec = TestSpecs.small("lease-c", dir);
        try (SimulatedHypervisor before = new SimulatedHypervisor(HOST, clock, hostFile)) {
            before.start(spec);
            clock.advance(Duration.ofMillis(1_234));
            before.sample(LeaseId.of("lease-c"));
        }
        clock.advance(Duration.ofMillis(10_001));
        try (SimulatedHypervisor after = new SimulatedHypervisor(HOST, clock, hostFile)) {
            var stats = after.sample(LeaseId.of("lease-c"));
            long[] expected = SimulatedGuest.counters(spec, GuestLoad.typical(), 11_235_000_000L);
            assertEquals(expected[0], stats.cpuTimeNs());
            assertEquals(expected[1], stats.netRxBytes());
            assertEquals(expected[4], stats.diskWriteBytes());
            assertEquals(11_235L * 1_000_000 / 1000, stats.netRxBytes());
        }
    }
}
