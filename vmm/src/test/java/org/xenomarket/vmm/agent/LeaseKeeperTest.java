package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.hypervisor.simulated.ManualClock;
import org.xenomarket.vmm.hypervisor.simulated.SimulatedHypervisor;
import org.xenomarket.vmm.image.CatalogueImage;
import org.xenomarket.vmm.image.ImageCache;
import org.xenomarket.vmm.image.ImagePeerServer;
import org.xenomarket.vmm.image.ImageVerifier;
import org.xenomarket.vmm.image.TestImages;

/**
 * The lease keeper over the simulated driver: the caps the market sends reach the guest, and a
 * running lease's suspension and pre-emption notice are followed, and a failure is reported with
 * whose fault it was. Where the market's answers do not matter it is an unused port; where the
 * reports do, a real HTTP stand-in records them.
 */
class LeaseKeeperTest {

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
    void aCatalogueImageThatFailsItsChecksumOrCannotBeFetchedFailsTheLeaseAsTheImagesFault() throws Exception {
        Path served = Files.writeString(dir.resolve("served-kernel"), "not the catalogue's kernel");
        String realSha = ImageVerifier.sha256Of(served);
        CatalogueImage tampered = new CatalogueImage("tampered", new CatalogueImage.File(served.toUri(),
                TestImages.WRONG_SHA256), new CatalogueImage.File(served.toUri(), realSha), "console=ttyS0", null, null);
        CatalogueImage missing = new CatalogueImage("missing", new CatalogueImage.File(
                dir.resolve("no-such-kernel").toUri(), realSha), new CatalogueImage.File(served.toUri(), realSha),
                "console=ttyS0", null, null);
        LeaseId unreachable = LeaseId.of("0c6a4c2e-6b1e-4a57-9d0e-5a8a4e0b7f11");

        try (MarketStandIn market = new MarketStandIn()) {
            LeaseKeeper keeper = new LeaseKeeper(hypervisor, new MarketClient(market.url()), TestSpecs.kernelBoot(dir),
                    100, Duration.ZERO, clock, lease -> { }, new ImageCache(dir.resolve("cache")));
            keeper.reconcile("token", List.of(withImage(LEASE, tampered), withImage(unreachable, missing)));

            assertEquals(2, market.failures().size(), "both leases failed: " + market.failures());
            JsonNode mismatch = market.failures().get(0).body();
            assertEquals(LEASE.value(), market.failures().get(0).lease());
            assertEquals("IMAGE", mismatch.path("cause").asText());
            assertTrue(mismatch.path("reason").asText().contains("IMAGE_CHECKSUM_MISMATCH"), mismatch.toString());
            JsonNode absent = market.failures().get(1).body();
            assertEquals("IMAGE", absent.path("cause").asText());
            assertTrue(absent.path("reason").asText().contains("IMAGE_UNAVAILABLE"), absent.toString());
        }
        assertEquals(List.of(), hypervisor.guests(), "nothing was started");
    }

    @Test
    void theProvidersOwnImageFailingItsChecksumFailsTheLeaseAsTheHostsFault() throws Exception {
        BootImage.Kernel configured = (BootImage.Kernel) TestSpecs.kernelBoot(dir);
        BootImage corrupted = new BootImage.Kernel(TestImages.withWrongChecksum(configured.kernel()),
                configured.initrd(), configured.commandLine());

        try (MarketStandIn market = new MarketStandIn()) {
            LeaseKeeper keeper = new LeaseKeeper(hypervisor, new MarketClient(market.url()), corrupted, 100,
                    Duration.ZERO, clock, lease -> { }, new ImageCache(dir.resolve("cache")));
            keeper.reconcile("token", List.of(lease("STARTING", 100, 0, false, null, NOW.plusSeconds(3600))));

            JsonNode failure = market.failures().get(0).body();
            assertEquals("HOST", failure.path("cause").asText());
            assertTrue(failure.path("reason").asText().contains("IMAGE_CHECKSUM_MISMATCH"), failure.toString());
        }
        assertEquals(List.of(), hypervisor.guests());
    }

    @Test
    void aRunningGuestThatVanishedFailsTheLeaseAsTheHostsFault() throws Exception {
        try (MarketStandIn market = new MarketStandIn()) {
            LeaseKeeper keeper = new LeaseKeeper(hypervisor, new MarketClient(market.url()), TestSpecs.kernelBoot(dir),
                    100, Duration.ZERO, clock);
            keeper.reconcile("token", List.of(lease("RUNNING", 100, 0, false, null, NOW.plusSeconds(3600))));

            assertEquals("HOST", market.failures().get(0).body().path("cause").asText());
        }
    }

    @Test
    void aCorruptedSitePeerCopyIsRefusedTheOriginsCopyBootsAndTheSponsorIsToldWhy() throws Exception {
        Path origin = Files.writeString(dir.resolve("disk.raw"), "the catalogue's disk image");
        String sha = ImageVerifier.sha256Of(origin);
        ImageCache peerCache = new ImageCache(dir.resolve("peer-cache"));
        Files.createDirectories(peerCache.directory());
        Files.writeString(peerCache.directory().resolve(sha), "the catalogue's disk imagE"); // same size, bit rot
        try (MarketStandIn market = new MarketStandIn();
             ImagePeerServer peer = ImagePeerServer.start(peerCache,
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            URI peerCopy = URI.create("http://127.0.0.1:" + peer.port() + "/images/" + sha);
            CatalogueImage image = new CatalogueImage("disk", null, null, null, new CatalogueImage.File(origin.toUri(),
                    sha, Files.size(origin), List.of(peerCopy)), "raw");
            LeaseKeeper keeper = new LeaseKeeper(hypervisor, new MarketClient(market.url()), TestSpecs.kernelBoot(dir),
                    100, Duration.ZERO, clock, lease -> { }, new ImageCache(dir.resolve("cache")));
            keeper.reconcile("token", List.of(withImage(LEASE, image)));

            assertEquals(List.of(), market.failures());
            JsonNode running = market.reports().get(0).body();
            assertEquals("RUNNING", running.path("state").asText());
            String reason = running.path("reason").asText();
            assertTrue(reason.contains("fetched from its origin") && reason.contains("site peer " + peerCopy)
                    && reason.contains("SHA-256"), reason);
        }
        assertEquals(1, hypervisor.guests().size());
    }

    private static LeaseAssignment withImage(LeaseId lease, CatalogueImage image) {
        return new LeaseAssignment(lease, "STARTING", 1, 512, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), null, 0,
                false, null, image);
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
