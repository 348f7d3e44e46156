package org.xenomarket.vmm.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.simulated.ManualClock;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

class GuestAdoptionTest {

    @TempDir
    Path dir;

    @Test
    void keepsGuestsOfActiveLeasesStopsTheRestAndReportsTheMissing() throws Exception {
        SimulatedHypervisor hypervisor = new SimulatedHypervisor(
                new HostCapacity(8, 8192, 100), new ManualClock(Instant.EPOCH));
        hypervisor.start(TestSpecs.small("active", dir));
        hypervisor.start(TestSpecs.small("ended", dir));

        AdoptionReport report = new GuestAdoption(hypervisor, Duration.ofSeconds(5))
                .reconcile(Set.of(LeaseId.of("active"), LeaseId.of("lost")));

        assertEquals(List.of(LeaseId.of("active")), report.adopted().stream().map(Guest::lease).toList());
        assertEquals(List.of(LeaseId.of("ended")), report.removed());
        assertEquals(List.of(LeaseId.of("lost")), report.missing());
        assertEquals(List.of(LeaseId.of("active")), hypervisor.guests().stream().map(Guest::lease).toList());
    }
}
