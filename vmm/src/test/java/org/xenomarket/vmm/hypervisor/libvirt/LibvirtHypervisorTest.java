package org.xenomarket.vmm.hypervisor.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.AdoptionReport;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestAdoption;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.HypervisorUnavailable;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.hypervisor.TestSpecs;
import org.xenomarket.vmm.image.ImageRef;
import org.xenomarket.vmm.image.TestImages;

/**
 * The libvirt driver against libvirt's in-memory test driver ({@code test:///default}), which
 * keeps real libvirt semantics (XML parsing, metadata, lifecycle, errors) without booting anything.
 * Its state lives as long as any connection to it is open, so every test closes what it opens.
 */
class LibvirtHypervisorTest {

    private static final LeaseId LEASE = LeaseId.of("lease-1");

    @TempDir
    Path images;
    @TempDir
    Path workDir;

    private LibvirtSettings settings;
    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws Exception {
        settings = LibvirtSettings.forUri("test:///default", workDir)
                .withNetwork("default")
                .withCapacity(new HostCapacity(4, 2048, 20));
        hypervisor = LibvirtHypervisor.connect(settings);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (Guest guest : hypervisor.guests()) {
            hypervisor.stop(guest.lease(), Duration.ZERO);
        }
        hypervisor.close();
    }

    private GuestSpec spec(String lease) throws Exception {
        return new GuestSpec(LeaseId.of(lease), 2, 512, 50, new DiskSpec(5, 1_000_000, 1_000_000, 100),
                new NetworkLimits(100, 100), TestSpecs.kernelBoot(images));
    }

    @Test
    void libvirtTakesADefinitionWithTheLeasesGpusPassedThrough() throws Exception {
        GuestSpec base = spec("lease-gpu");
        GuestSpec withGpus = new GuestSpec(base.lease(), base.vcpus(), base.memoryMib(), base.cpuQuotaPercent(),
                base.disk(), base.network(), base.boot(),
                java.util.List.of(org.xenomarket.vmm.hypervisor.PciAddress.parse("0000:65:00.0"),
                        org.xenomarket.vmm.hypervisor.PciAddress.parse("0000:b3:00.1")));
        hypervisor.start(withGpus);

        org.libvirt.Connect raw = new org.libvirt.Connect("test:///default");
        try {
            String live = raw.domainLookupByName("xm-lease-gpu").getXMLDesc(0);
            org.w3c.dom.Document doc = Xml.parse(live);
            javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
            assertEquals("2", xpath.evaluate("count(/domain/devices/hostdev[@type='pci'][@mode='subsystem'])", doc));
            assertEquals("0x65", xpath.evaluate("/domain/devices/hostdev[1]/source/address/@bus", doc));
            assertEquals("0xb3", xpath.evaluate("/domain/devices/hostdev[2]/source/address/@bus", doc));
            assertEquals("0x1", xpath.evaluate("/domain/devices/hostdev[2]/source/address/@function", doc));
        } finally {
            raw.close();
        }
    }

    @Test
    void startsAGuestThatIsListedWithItsLease() throws Exception {
        Guest started = hypervisor.start(spec("lease-1"));

        assertEquals(LEASE, started.lease());
        assertEquals("xm-lease-1", started.name());
        assertEquals(GuestState.RUNNING, started.state());
        assertEquals(2, started.vcpus());
        assertEquals(512, started.memoryMib());
        assertEquals(5, started.diskGib());
        assertEquals(List.of(LEASE), hypervisor.guests().stream().map(Guest::lease).toList());
    }

    @Test
    void ignoresDomainsThatRunForNoLease() throws Exception {
        // The test driver always has a domain called "test" that nobody leased.
        assertTrue(hypervisor.guests().isEmpty());
        assertThrows(GuestNotFound.class, () -> hypervisor.stop(LeaseId.of("test"), Duration.ZERO));
    }

    @Test
    void stagesVerifiedCopiesOfTheImagesAndALeaseSizedDisk() throws Exception {
        hypervisor.start(spec("lease-1"));

        Path leaseDir = workDir.resolve("lease-1");
        assertEquals("kernel bytes", Files.readString(leaseDir.resolve("kernel")));
        assertEquals("initrd bytes", Files.readString(leaseDir.resolve("initrd")));
        assertEquals(5L << 30, Files.size(leaseDir.resolve("disk.img")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(leaseDir)));
        assertEquals(leaseDir.resolve("console.log"), hypervisor.consoleLog(LEASE).orElseThrow());
    }

    @Test
    void stopsAGuestGracefullyAndRemovesItsFiles() throws Exception {
        hypervisor.start(spec("lease-1"));

        StopOutcome outcome = hypervisor.stop(LEASE, Duration.ofSeconds(5));

        assertEquals(StopOutcome.SHUT_DOWN, outcome);
        assertTrue(hypervisor.guests().isEmpty());
        assertFalse(Files.exists(workDir.resolve("lease-1")));
        assertThrows(GuestNotFound.class, () -> hypervisor.sample(LEASE));
    }

    @Test
    void destroysAtOnceWhenThereIsNoGracePeriod() throws Exception {
        hypervisor.start(spec("lease-1"));

        assertEquals(StopOutcome.DESTROYED, hypervisor.stop(LEASE, Duration.ZERO));
        assertTrue(hypervisor.guests().isEmpty());
    }

    @Test
    void suspendsAndResumes() throws Exception {
        hypervisor.start(spec("lease-1"));

        hypervisor.suspend(LEASE);
        assertEquals(GuestState.PAUSED, hypervisor.guests().get(0).state());

        hypervisor.resume(LEASE);
        assertEquals(GuestState.RUNNING, hypervisor.guests().get(0).state());
    }

    @Test
    void theDomainLibvirtDefinedCarriesTheLeasesCpuQuotaAndEgressCap() throws Exception {
        hypervisor.start(new GuestSpec(LEASE, 2, 512, 40, DiskSpec.unlimited(1), new NetworkLimits(0, 80),
                TestSpecs.kernelBoot(images)));

        org.w3c.dom.Document defined = Xml.parse(hypervisor.definition(LEASE));
        javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        assertEquals("100000", xpath.evaluate("/domain/cputune/period", defined));
        assertEquals("40000", xpath.evaluate("/domain/cputune/quota", defined));
        // 80 Mbit/s is 10,000 kB/s, libvirt's unit.
        assertEquals("10000", xpath.evaluate("/domain/devices/interface/bandwidth/outbound/@average", defined));
        assertEquals("", xpath.evaluate("/domain/devices/interface/bandwidth/inbound/@average", defined));
    }

    @Test
    void aPreemptionNoticeIsWrittenIntoTheGuestsMetadataAndReplacedByALaterOne() throws Exception {
        hypervisor.start(spec("lease-1"));
        assertEquals(java.util.Optional.empty(), hypervisor.preemptionNotice(LEASE));
        java.time.Instant end = java.time.Instant.parse("2026-11-25T15:30:00Z");

        try (GuestEndOfChannel guest = GuestEndOfChannel.listen(noticeSocketOf(LEASE))) {
            hypervisor.announcePreemption(LEASE, end);
            assertEquals(java.util.Optional.of(end), hypervisor.preemptionNotice(LEASE));
            assertTrue(hypervisor.definition(LEASE).contains(PreemptionNotice.NAMESPACE));
            hypervisor.announcePreemption(LEASE, end.plusSeconds(60));
            assertEquals(java.util.Optional.of(end.plusSeconds(60)), hypervisor.preemptionNotice(LEASE));
        }
        // The lease metadata beside it is untouched: the guest is still found as the lease's.
        assertEquals(LEASE, hypervisor.guests().get(0).lease());
        assertThrows(GuestNotFound.class, () -> hypervisor.announcePreemption(LeaseId.of("nobody"), end));
    }

    @Test
    void aPreemptionNoticeReachesTheGuestAsOneJsonLinePerNoticeOnItsChannel() throws Exception {
        hypervisor.start(spec("lease-1"));
        java.time.Instant end = java.time.Instant.parse("2026-11-25T15:30:00Z");

        // libvirt's test driver runs no QEMU, so this test binds the socket QEMU would, and reads
        // what the guest would read from its port.
        try (GuestEndOfChannel guest = GuestEndOfChannel.listen(noticeSocketOf(LEASE))) {
            hypervisor.announcePreemption(LEASE, end);
            hypervisor.announcePreemption(LEASE, end.plusSeconds(60));

            assertEquals("{\"event\":\"preempt-notice\",\"lease\":\"lease-1\",\"end\":\"2026-11-25T15:30:00Z\"}",
                    guest.readLine());
            assertEquals("{\"event\":\"preempt-notice\",\"lease\":\"lease-1\",\"end\":\"2026-11-25T15:31:00Z\"}",
                    guest.readLine());
            assertEquals(1, guest.connectionsAccepted(), "one connection, held open for later notices");
        }
    }

    @Test
    void aNoticeThatCannotReachTheGuestFailsSoItIsToldAgainButStaysInTheMetadata() throws Exception {
        hypervisor.start(spec("lease-1"));
        java.time.Instant end = java.time.Instant.parse("2026-11-25T15:30:00Z");

        // Nothing listens on the guest's socket (no QEMU here).
        org.xenomarket.vmm.hypervisor.GuestOperationFailed failed = assertThrows(
                org.xenomarket.vmm.hypervisor.GuestOperationFailed.class, () -> hypervisor.announcePreemption(LEASE, end));
        assertTrue(failed.getMessage().contains("notice.sock"), failed.getMessage());
        assertEquals(java.util.Optional.of(end), hypervisor.preemptionNotice(LEASE));

        try (GuestEndOfChannel guest = GuestEndOfChannel.listen(noticeSocketOf(LEASE))) {
            hypervisor.announcePreemption(LEASE, end);
            assertTrue(guest.readLine().contains("\"end\":\"2026-11-25T15:30:00Z\""));
        }
    }

    private Path noticeSocketOf(LeaseId lease) throws Exception {
        return Path.of(DomainDevices.of(hypervisor.definition(lease)).noticeSocket().orElseThrow());
    }

    @Test
    void stopsASuspendedGuestGracefully() throws Exception {
        hypervisor.start(spec("lease-1"));
        hypervisor.suspend(LEASE);

        assertEquals(StopOutcome.SHUT_DOWN, hypervisor.stop(LEASE, Duration.ofSeconds(5)));
    }

    @Test
    void samplesCpuMemoryDiskAndNetworkCounters() throws Exception {
        hypervisor.start(spec("lease-1"));

        GuestStats first = hypervisor.sample(LEASE);
        GuestStats second = hypervisor.sample(LEASE);

        assertEquals(LEASE, first.lease());
        assertEquals(512, first.memoryMib());
        // The test driver derives its counters from the wall clock, so they are positive and grow.
        assertTrue(first.cpuTimeNs() > 0, "cpu " + first.cpuTimeNs());
        assertTrue(second.cpuTimeNs() >= first.cpuTimeNs());
        assertTrue(first.diskReadBytes() > 0, "disk read " + first.diskReadBytes());
        assertTrue(first.netRxBytes() > 0, "net rx " + first.netRxBytes());
        assertTrue(first.netTxBytes() > 0, "net tx " + first.netTxBytes());
    }

    @Test
    void samplesCarryTheInstantTheGuestWasAskedForKeptInItsMetadata() throws Exception {
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        hypervisor.start(spec("lease-1"));
        java.time.Instant after = java.time.Instant.now();

        GuestStats sample = hypervisor.sample(LEASE);

        assertTrue(!sample.startedAt().isBefore(before) && !sample.startedAt().isAfter(after),
                sample.startedAt() + " within [" + before + ", " + after + "]");
        assertEquals(sample.startedAt(), sample.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertTrue(!sample.sampledAt().isBefore(sample.startedAt()));
        // A second connection (a restarted agent) reads the same instant from the domain's metadata.
        try (LibvirtHypervisor again = LibvirtHypervisor.connect(settings)) {
            assertEquals(sample.startedAt(), again.sample(LEASE).startedAt());
        }
    }

    @Test
    void agentsSharingALibvirtdKeepToTheGuestsOfTheirOwnWorkDirectory(@TempDir Path otherWorkDir) throws Exception {
        hypervisor.start(spec("lease-1"));
        try (LibvirtHypervisor other = LibvirtHypervisor.connect(LibvirtSettings.forUri("test:///default", otherWorkDir)
                .withCapacity(new HostCapacity(4, 2048, 20)))) {
            assertEquals(List.of(), other.guests(), "another agent's guest is not listed");
            assertThrows(GuestNotFound.class, () -> other.sample(LEASE));
            assertThrows(GuestNotFound.class, () -> other.stop(LEASE, Duration.ZERO));
            assertThrows(GuestNotFound.class, () -> other.suspend(LEASE));
        }
        assertEquals(List.of(LEASE), hypervisor.guests().stream().map(Guest::lease).toList(), "still running, still ours");
    }

    @Test
    void aDomainThatNamesNoWorkDirectoryIsTheAgentsWhoseWorkDirectoryHoldsItsLease(@TempDir Path otherWorkDir)
            throws Exception {
        hypervisor.start(spec("lease-1"));
        // As an agent from before domains named their agent's work directory defined it.
        org.libvirt.Connect raw = new org.libvirt.Connect("test:///default");
        try {
            raw.domainLookupByName("xm-lease-1").setMetadata(2, "<lease id='lease-1' disk-gib='5'/>",
                    LeaseMetadata.PREFIX, LeaseMetadata.NAMESPACE, 0);
        } finally {
            raw.close();
        }
        assertEquals(List.of(LEASE), hypervisor.guests().stream().map(Guest::lease).toList(),
                "its lease directory is in this agent's work directory");
        try (LibvirtHypervisor other = LibvirtHypervisor.connect(LibvirtSettings.forUri("test:///default", otherWorkDir)
                .withCapacity(new HostCapacity(4, 2048, 20)))) {
            assertEquals(List.of(), other.guests(), "not in the other agent's");
            assertThrows(GuestNotFound.class, () -> other.stop(LEASE, Duration.ZERO));
        }
    }

    @Test
    void aRestartedAgentAdoptsItsGuestsAndRemovesThoseWithNoLease() throws Exception {
        hypervisor.start(spec("kept"));
        hypervisor.start(spec("ended"));

        try (LibvirtHypervisor restarted = LibvirtHypervisor.connect(settings)) {
            AdoptionReport report = new GuestAdoption(restarted, Duration.ofSeconds(5))
                    .reconcile(Set.of(LeaseId.of("kept"), LeaseId.of("vanished")));

            assertEquals(List.of(LeaseId.of("kept")), report.adopted().stream().map(Guest::lease).toList());
            assertEquals(List.of(LeaseId.of("ended")), report.removed());
            assertEquals(List.of(LeaseId.of("vanished")), report.missing());
            assertEquals(List.of(LeaseId.of("kept")), restarted.guests().stream().map(Guest::lease).toList());
            assertFalse(Files.exists(workDir.resolve("ended")));
        }
    }

    @Test
    void aChecksumMismatchFailsTheStartAndLeavesNothingBehind() throws Exception {
        BootImage.Kernel good = (BootImage.Kernel) TestSpecs.kernelBoot(images);
        GuestSpec spec = new GuestSpec(LEASE, 1, 128, 100, DiskSpec.unlimited(1), NetworkLimits.unlimited(),
                new BootImage.Kernel(good.kernel(), TestImages.withWrongChecksum(good.initrd()), ""));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.start(spec));

        assertEquals(GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH, failed.reason());
        assertTrue(failed.getMessage().contains(TestImages.WRONG_SHA256), failed.getMessage());
        assertTrue(hypervisor.guests().isEmpty());
        assertFalse(Files.exists(workDir.resolve("lease-1")));
    }

    @Test
    void aMissingImageFailsTheStartAsUnavailable() throws Exception {
        GuestSpec spec = new GuestSpec(LEASE, 1, 128, 100, DiskSpec.none(), NetworkLimits.unlimited(),
                new BootImage.Disk(new ImageRef(images.resolve("gone.img"),
                        TestImages.WRONG_SHA256), BootImage.DiskFormat.RAW));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.start(spec));

        assertEquals(GuestStartFailed.Reason.IMAGE_UNAVAILABLE, failed.reason());
        assertFalse(Files.exists(workDir.resolve("lease-1")));
    }

    @Test
    void aLeaseLargerThanTheFreeCapacityFailsWithTheShortfall() throws Exception {
        hypervisor.start(spec("first"));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class,
                () -> hypervisor.start(TestSpecs.sized("second", 1, 2000, 1, images)));

        assertEquals(GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, failed.reason());
        assertTrue(failed.getMessage().contains("2000 MiB memory requested, 1536 MiB free"), failed.getMessage());
        assertEquals(1, hypervisor.guests().size());
        assertFalse(Files.exists(workDir.resolve("second")));
    }

    @Test
    void refusesASecondGuestForTheSameLease() throws Exception {
        hypervisor.start(spec("lease-1"));

        GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> hypervisor.start(spec("lease-1")));

        assertEquals(GuestStartFailed.Reason.ALREADY_RUNNING, failed.reason());
        assertEquals(1, hypervisor.guests().size());
    }

    @Test
    void aGuestTheHypervisorRejectsAfterCreationIsDestroyedAndCleanedUp() throws Exception {
        // The test driver knows no Xen credit-scheduler cap, so the step after creation fails.
        try (LibvirtHypervisor xen = LibvirtHypervisor.connect(settings.withDomainType(DomainType.XEN))) {
            GuestStartFailed failed = assertThrows(GuestStartFailed.class, () -> xen.start(spec("lease-1")));

            assertEquals(GuestStartFailed.Reason.HYPERVISOR_REFUSED, failed.reason());
            assertTrue(xen.guests().isEmpty());
            assertFalse(Files.exists(workDir.resolve("lease-1")));
        }
    }

    @Test
    void operationsOnAnUnknownLeaseReportTheGuestNotFound() {
        LeaseId unknown = LeaseId.of("nobody");
        assertThrows(GuestNotFound.class, () -> hypervisor.suspend(unknown));
        assertThrows(GuestNotFound.class, () -> hypervisor.resume(unknown));
        assertThrows(GuestNotFound.class, () -> hypervisor.sample(unknown));
        assertThrows(GuestNotFound.class, () -> hypervisor.stop(unknown, Duration.ZERO));
    }

    @Test
    void anUnreachableHypervisorIsReportedAsUnavailable() {
        LibvirtSettings nowhere = LibvirtSettings.forUri("test:///nonexistent-config.xml", workDir);

        assertThrows(HypervisorUnavailable.class, () -> LibvirtHypervisor.connect(nowhere));
    }

    @Test
    void offersTheWholeNodeWhenNoCapacityIsConfigured() throws Exception {
        try (LibvirtHypervisor whole = LibvirtHypervisor.connect(LibvirtSettings.forUri("test:///default", workDir))) {
            HostCapacity capacity = whole.capacity();

            // The test driver's node: 16 CPUs and 3 GiB.
            assertEquals(16, capacity.vcpus());
            assertEquals(3072, capacity.memoryMib());
            assertTrue(capacity.diskGib() > 0);
        }
    }
}
