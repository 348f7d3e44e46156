package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.hypervisor.simulated.ManualClock;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;

/**
 * The lease keeper over the simulated driver: the caps the market sends reach the guest, and a
 * running lease's suspension and pre-emption notice are followed. Nothing here needs the market
 * to answer (a RUNNING lease that is fine is never reported), so the market is an unused port.
 */
class LeaseKeeperTests {

    private static final LeaseId LEASE = LeaseId.of("0c6a4c2e-6b1e-4a57-9d0e-5a8a4e0b7f10");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);
    private final SimulatedHypervisor hypervisor = new SimulatedHypervisor(new HostCapacity(8, 16_384, 100), clock);
    private final MarketClient nowhere = new MarketClient(URI.create("http://127.0.0.1:9"));

    private LeaseKeeper keeper() throws Exception {
        return new LeaseKeeper(hypervisor, nowhere, TestSpecs.kernelBoot(dir), 100, Duration.ZERO, clock);
    }

    private static LeaseAssignment lease(String state, Integer quota, long egress, boolean suspended,
                                         Instant preemptedAt, Instant end) {
        return new LeaseAssignment(LEASE, state, 2, 1024, 5, NOW.minusSeconds(60), end, quota, egress, suspended,
                preemptedAt, null);
    }

    @Test
    void theGuestStartsWithTheCpuQuotaAndEgressCapTheMarketSent() throws Exception {
        LeaseKeeper keeper = keeper();
        // The market is unreachable for the RUNNING report that follows the start; the guest runs regardless.
        assertThrows(MarketUnreachable.class, () -> keeper.reconcile("token",
                List.of(lease("STARTING", 50, 125, false, null, NOW.plusSeconds(3600)))));

        assertEquals(50, hypervisor.guestSpec(LEASE).cpuQuotaPercent());
        assertEquals(125, hypervisor.guestSpec(LEASE).network().egressMbit());
        assertEquals(0, hypervisor.guestSpec(LEASE).network().ingressMbit());
    }

    @Test
    void withoutLimitsFromTheMarketTheAgentsOwnQuotaAppliesAndEgressIsUncapped() throws Exception {
        LeaseKeeper keeper = new LeaseKeeper(hypervisor, nowhere, TestSpecs.kernelBoot(dir), 70, Duration.ZERO, clock);
        assertThrows(MarketUnreachable.class, () -> keeper.reconcile("token", List.of(new LeaseAssignment(LEASE,
                "STARTING", 1, 512, 1, NOW.minusSeconds(1), NOW.plusSeconds(3600)))));

        assertEquals(70, hypervisor.guestSpec(LEASE).cpuQuotaPercent());
        assertEquals(false, hypervisor.guestSpec(LEASE).network().isLimited());
    }

    @Test
    void aRunningLeasesGuestIsSuspendedAndResumedAsTheMarketSays() throws Exception {
        hypervisor.start(TestSpecs.small(LEASE.value(), dir));
        LeaseKeeper keeper = keeper();

        keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, true, null, NOW.plusSeconds(3600))));
        assertEquals(GuestState.PAUSED, hypervisor.guests().get(0).state());
        keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, true, null, NOW.plusSeconds(3600))));
        assertEquals(GuestState.PAUSED, hypervisor.guests().get(0).state());

        keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, false, null, NOW.plusSeconds(3600))));
        assertEquals(GuestState.RUNNING, hypervisor.guests().get(0).state());
    }

    @Test
    void aPreemptedLeasesGuestIsToldWhenItWillBeStopped() throws Exception {
        hypervisor.start(TestSpecs.small(LEASE.value(), dir));
        LeaseKeeper keeper = keeper();
        keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, false, null, NOW.plusSeconds(3600))));
        assertNull(hypervisor.preemptionNotice(LEASE));

        Instant noticeEnd = NOW.plusSeconds(300);
        keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, false, NOW, noticeEnd)));
        assertEquals(noticeEnd, hypervisor.preemptionNotice(LEASE));
        assertEquals(GuestState.RUNNING, hypervisor.guests().get(0).state(), "the guest runs on through its notice");
    }
}
