package org.xenomarket.vmm.hypervisor.libvirt;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestOperationFailed;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestStartFailed.Reason;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.HypervisorUnavailable;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.hypervisor.Admission;
import org.xenomarket.vmm.image.ImageRejected;
import org.xenomarket.vmm.image.ImageVerifier;

/** Runs lease guests on Xen, KVM or QEMU through libvirt, as transient domains tagged with their lease. */
public final class LibvirtHypervisor implements Hypervisor {

    private static final System.Logger LOG = System.getLogger(LibvirtHypervisor.class.getName());

    /** libvirt's VIR_CONNECT_LIST_DOMAINS_ACTIVE. */
    private static final int LIST_ACTIVE = 1;
    /** libvirt's VIR_DOMAIN_METADATA_ELEMENT. */
    private static final int METADATA_ELEMENT = 2;
    private static final Duration POLL = Duration.ofMillis(100);
    /** The longest a save may take to flatten a guest's disk: qemu-img reads all of it. */
    private static final Duration FLATTEN_TIMEOUT = Duration.ofHours(1);
    static final String STATE_FILE = "state.sav";
    static final String DISK_FILE = "disk.qcow2";

    /**
     * Without a callback libvirt prints every error to stderr, including the expected ones (a
     * lookup of a guest that has just gone). Errors still arrive as exceptions. Held in a static
     * field because JNA only keeps a weak reference to callbacks.
     */
    private static final Libvirt.VirErrorCallback QUIET = new Libvirt.VirErrorCallback() {
        @Override
        public void errorCallback(Pointer userData, virError error) {
            // Reported through LibvirtException instead.
        }
    };

    private final LibvirtConnection connect;
    private final LibvirtSettings settings;
    private final LeaseFiles files;
    private final ImageVerifier verifier = new ImageVerifier();
    private final NoticeChannel notices = new NoticeChannel();
    private final Clock clock;
    // Admission and creation happen under one lock, so two leases cannot both fit the last slot.
    private final ReentrantLock starting = new ReentrantLock();

    private LibvirtHypervisor(LibvirtConnection connect, LibvirtSettings settings, Clock clock) {
        this.connect = connect;
        this.settings = settings;
        this.files = new LeaseFiles(settings.workDir());
        this.clock = clock;
    }

    public static LibvirtHypervisor connect(LibvirtSettings settings) throws HypervisorUnavailable {
        return connect(settings, Clock.systemUTC());
    }

    public static LibvirtHypervisor connect(LibvirtSettings settings, Clock clock) throws HypervisorUnavailable {
        try {
            LibvirtConnection.setErrorCallback(QUIET);
            return new LibvirtHypervisor(new LibvirtConnection(settings.uri()), settings, clock);
        } catch (LibvirtException e) {
            throw LibvirtFailures.unavailable("cannot connect to " + settings.uri(), e);
        }
    }

    public LibvirtSettings settings() {
        return settings;
    }

    @Override
    public Guest start(GuestSpec spec) throws HypervisorException {
        starting.lock();
        try {
            admit(spec);
            return create(spec);
        } finally {
            starting.unlock();
        }
    }

    private Guest create(GuestSpec spec) throws HypervisorException {
        LeaseId lease = spec.lease();
        Domain domain = null;
        try {
            StagedGuest staged = stage(spec);
            // The start instant is taken before libvirt is asked, so the domain's counters were all zero then:
            // metering counts the guest's usage from here, not from its first sample (see GuestStats).
            LeaseMetadata metadata = LeaseMetadata.of(lease, spec.disk().sizeGib(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), settings.workDir());
            String xml = DomainXml.of(spec, settings.domainType(), staged, settings.network(), metadata);
            domain = connect.domainCreateXML(xml, 0);
            if (settings.domainType() == DomainType.XEN) {
                XenCpuCap.apply(domain, spec);
            }
            LOG.log(System.Logger.Level.INFO, "started guest {0} for lease {1}", DomainXml.domainName(lease), lease);
            return guestOf(domain, metadata);
        } catch (ImageRejected e) {
            discard(lease, domain);
            Reason reason = e.reason() == ImageRejected.Reason.CHECKSUM_MISMATCH
                    ? Reason.IMAGE_CHECKSUM_MISMATCH
                    : Reason.IMAGE_UNAVAILABLE;
            throw new GuestStartFailed(lease, reason, e.getMessage(), e);
        } catch (IOException e) {
            discard(lease, domain);
            throw new GuestStartFailed(lease, Reason.HOST_STORAGE_FAILED,
                    "cannot prepare " + files.directoryOf(lease) + ": " + e, e);
        } catch (LibvirtException e) {
            discard(lease, domain);
            if (LibvirtFailures.connectionLost(e)) {
                throw LibvirtFailures.unavailable("starting lease " + lease, e);
            }
            throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED, e.getMessage(), e);
        }
    }

    /** Verified copies of the boot images, and the lease's disk, in the lease directory. */
    private StagedGuest stage(GuestSpec spec) throws IOException, ImageRejected {
        LeaseId lease = spec.lease();
        files.create(lease);
        Path console = files.consoleLog(lease);
        int diskGib = spec.disk().sizeGib();
        if (spec.boot() instanceof BootImage.Kernel kernel) {
            verifier.copyVerified(kernel.kernel(), files.kernel(lease));
            verifier.copyVerified(kernel.initrd(), files.initrd(lease));
            Optional<Path> disk = diskGib > 0 ? Optional.of(files.createBlankDisk(lease, diskGib)) : Optional.empty();
            return new StagedGuest(Optional.of(files.kernel(lease)), Optional.of(files.initrd(lease)),
                    kernel.commandLine(), disk, BootImage.DiskFormat.RAW.libvirtName(), console,
                    files.noticeSocket(lease));
        }
        BootImage.Disk image = (BootImage.Disk) spec.boot();
        verifier.copyVerified(image.image(), files.disk(lease));
        // A qcow2 image has its own virtual size; growing it would need qemu-img on every host.
        if (image.format() == BootImage.DiskFormat.RAW && diskGib > 0) {
            files.growTo(files.disk(lease), diskGib);
        }
        return new StagedGuest(Optional.empty(), Optional.empty(), "", Optional.of(files.disk(lease)),
                image.format().libvirtName(), console, files.noticeSocket(lease));
    }

    /** Leaves nothing of a failed start behind: no domain, no lease directory. */
    private void discard(LeaseId lease, Domain domain) {
        if (domain != null) {
            try {
                domain.destroy();
            } catch (LibvirtException e) {
                LOG.log(System.Logger.Level.WARNING, "could not destroy half-started guest of lease " + lease, e);
            }
        }
        removeFiles(lease);
    }

    @Override
    public StopOutcome stop(LeaseId lease, Duration gracePeriod) throws HypervisorException {
        Domain domain = require(lease);
        StopOutcome outcome;
        try {
            outcome = shutDownOrDestroy(lease, domain, gracePeriod);
        } catch (LibvirtException e) {
            if (!LibvirtFailures.noDomain(e) && !LibvirtFailures.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID)) {
                throw LibvirtFailures.ofGuest(lease, "stop", e);
            }
            // It went away by itself while we were stopping it.
            outcome = StopOutcome.SHUT_DOWN;
        }
        notices.disconnect(lease);
        removeFiles(lease);
        LOG.log(System.Logger.Level.INFO, "stopped guest of lease {0}: {1}", lease, outcome);
        return outcome;
    }

    private StopOutcome shutDownOrDestroy(LeaseId lease, Domain domain, Duration gracePeriod)
            throws LibvirtException, HypervisorException {
        if (!gracePeriod.isZero() && !gracePeriod.isNegative()) {
            // A paused guest cannot act on the shutdown request, so it would only ever be destroyed.
            if (domain.getInfo().state == DomainInfo.DomainState.VIR_DOMAIN_PAUSED) {
                domain.resume();
            }
            domain.shutdown();
            if (waitUntilGone(lease, gracePeriod)) {
                return StopOutcome.SHUT_DOWN;
            }
        }
        domain.destroy();
        return StopOutcome.DESTROYED;
    }

    private boolean waitUntilGone(LeaseId lease, Duration timeout) throws HypervisorException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (lookup(lease).isEmpty()) {
                return true;
            }
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                // Stopping is what the interrupted caller wanted too; finish it by force.
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void suspend(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            domain.suspend();
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "suspend", e);
        }
    }

    @Override
    public void resume(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            domain.resume();
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "resume", e);
        }
    }

    /**
     * Saves the guest with libvirt ({@code virDomainSave}: QEMU's state behind libvirt's header, the
     * guest stopped when it returns) into {@code directory/state.sav}, flattens its disk with
     * qemu-img into {@code directory/disk.qcow2}, and writes the manifest (see {@link SaveManifest}).
     * A failure after the guest stopped resumes it here from the state just written, so a failed save
     * loses nothing; then the lease directory is left as it was.
     */
    @Override
    public SavedGuest save(LeaseId lease, Path directory) throws HypervisorException {
        Domain domain = require(lease);
        GuestDisk disk;
        try {
            disk = GuestDisk.of(domain.getXMLDesc(0)).orElseThrow(() -> new GuestOperationFailed(lease, "save",
                    "the guest has no disk file to move with it (a kernel boot leased with 0 GiB of disk)", null));
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "save", e);
        }
        QemuImg qemuImg;
        SavedGuest saved = new SavedGuest(lease, directory.resolve(STATE_FILE), directory.resolve(DISK_FILE));
        try {
            qemuImg = QemuImg.find(FLATTEN_TIMEOUT);
            Files.createDirectories(directory);
            for (Path file : List.of(saved.stateFile(), saved.diskFile(), SaveManifest.of(saved.stateFile()))) {
                if (Files.exists(file)) {
                    throw new IOException(file + " exists: a saved guest is there already");
                }
            }
        } catch (IOException e) {
            throw new GuestOperationFailed(lease, "save", e.getMessage(), e);
        }
        long began = System.nanoTime();
        try {
            domain.save(saved.stateFile().toString());
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "save", e);
        }
        long stopped = System.nanoTime();
        try {
            qemuImg.flatten(disk.file(), disk.format(), saved.diskFile());
            SaveManifest.write(saved, settings.domainType().libvirtName());
        } catch (IOException e) {
            throw new GuestOperationFailed(lease, "save", e.getMessage() + "; " + resumeUnsaved(lease, saved), e);
        }
        notices.disconnect(lease);
        removeFiles(lease);
        LOG.log(System.Logger.Level.INFO, "saved guest of lease {0} into {1}: state {2} ms, disk {3} ms", lease,
                directory, (stopped - began) / 1_000_000, (System.nanoTime() - stopped) / 1_000_000);
        return saved;
    }

    /** After a save failed past the stop: runs the guest again from its state, its definition and disk unchanged. */
    private String resumeUnsaved(LeaseId lease, SavedGuest saved) {
        try {
            connect.restore(saved.stateFile().toString());
        } catch (LibvirtException e) {
            LOG.log(System.Logger.Level.ERROR, "the guest of lease " + lease + " stopped in a save that failed, and"
                    + " could not be resumed from " + saved.stateFile() + "; its files are kept", e);
            return "the guest is stopped and could not be resumed from " + saved.stateFile() + " (" + e.getMessage()
                    + "), which is kept with the lease's files";
        }
        for (Path file : List.of(saved.diskFile(), saved.stateFile(), SaveManifest.of(saved.stateFile()))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove " + file + " of a failed save", e);
            }
        }
        return "the guest was resumed here from its state";
    }

    /** Refuses a second guest for the lease and one that does not fit; called holding {@code starting}. */
    private void admit(GuestSpec spec) throws HypervisorException {
        Optional<Domain> running = lookup(spec.lease());
        if (running.isPresent()) {
            throw new GuestStartFailed(spec.lease(), Reason.ALREADY_RUNNING, "domain " + nameOf(running.get())
                    + " already exists");
        }
        Admission.check(spec, freeCapacity());
    }

    /**
     * Checks the saved files against their manifest and this host, stages the lease's files (verified
     * kernel and initrd of a kernel boot, the moved disk), and restores the saved domain under the
     * definition rewritten for {@code spec} ({@link RestoredDomainXml}). The guest comes back in the
     * state it was saved in, running or paused. On failure nothing runs, the lease directory is gone and
     * the saved disk is back where it was.
     */
    @Override
    public Guest restore(GuestSpec spec, SavedGuest saved) throws HypervisorException {
        starting.lock();
        try {
            admit(spec);
            return restoreChecked(spec, saved, savedDefinition(spec, saved));
        } finally {
            starting.unlock();
        }
    }

    /** The definition in the save image, once the files are whole and of a kind this host resumes. */
    private String savedDefinition(GuestSpec spec, SavedGuest saved) throws GuestStartFailed {
        LeaseId lease = spec.lease();
        DomainType type = settings.domainType();
        if (type == DomainType.XEN) {
            throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED,
                    "restoring a saved guest is built for QEMU/KVM hosts only, and this host runs Xen domains");
        }
        try {
            SaveManifest.verify(saved);
            SaveImage kind = SaveImage.of(saved.stateFile());
            if (!kind.resumableOn(type)) {
                throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED, "state file " + saved.stateFile() + " is "
                        + kind.describe() + ", which a host running '" + type.libvirtName() + "' domains cannot resume");
            }
            QemuImg.Info disk = QemuImg.find(FLATTEN_TIMEOUT).info(saved.diskFile());
            if (disk.backingFile().isPresent()) {
                throw new GuestStartFailed(lease, Reason.HOST_STORAGE_FAILED, "saved disk " + saved.diskFile()
                        + " has a backing file (" + disk.backingFile().get() + ") on the node it came from; a saved"
                        + " disk must be self-contained");
            }
            if (!"qcow2".equals(disk.format())) {
                throw new GuestStartFailed(lease, Reason.HOST_STORAGE_FAILED,
                        "saved disk " + saved.diskFile() + " is " + disk.format() + ", not the qcow2 a save writes");
            }
        } catch (IOException e) {
            throw new GuestStartFailed(lease, Reason.HOST_STORAGE_FAILED, e.getMessage(), e);
        }
        try {
            return connect.saveImageXml(saved.stateFile().toString());
        } catch (LibvirtConnection.CallFailed e) {
            throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED, e.getMessage(), e);
        }
    }

    private Guest restoreChecked(GuestSpec spec, SavedGuest saved, String savedXml) throws HypervisorException {
        LeaseId lease = spec.lease();
        Path disk = files.restoredDisk(lease);
        boolean diskMoved = false;
        try {
            files.create(lease);
            Optional<Path> kernel = Optional.empty();
            Optional<Path> initrd = Optional.empty();
            // QEMU loads the kernel and initrd of a kernel boot again when it starts to receive the state.
            if (spec.boot() instanceof BootImage.Kernel boot) {
                verifier.copyVerified(boot.kernel(), files.kernel(lease));
                verifier.copyVerified(boot.initrd(), files.initrd(lease));
                kernel = Optional.of(files.kernel(lease));
                initrd = Optional.of(files.initrd(lease));
            }
            StagedGuest staged = new StagedGuest(kernel, initrd, "", Optional.of(disk), "qcow2",
                    files.consoleLog(lease), files.noticeSocket(lease));
            // Taken before libvirt is asked: the restored QEMU's counters start from zero then, as a started one's.
            LeaseMetadata metadata = LeaseMetadata.of(lease, spec.disk().sizeGib(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), settings.workDir());
            String xml = RestoredDomainXml.of(savedXml, spec, settings.domainType(), staged, settings.network(), metadata);
            Files.move(saved.diskFile(), disk);
            diskMoved = true;
            connect.restore(saved.stateFile().toString(), xml);
            Domain domain = lookup(lease).orElseThrow(() -> new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED,
                    "libvirt restored " + saved.stateFile() + " but no domain runs for the lease"));
            LOG.log(System.Logger.Level.INFO, "restored guest {0} for lease {1} from {2} (saved for lease {3})",
                    domain.getName(), lease, saved.stateFile(), saved.lease());
            return guestOf(domain, metadata);
        } catch (ImageRejected e) {
            discardRestore(lease, saved, diskMoved);
            Reason reason = e.reason() == ImageRejected.Reason.CHECKSUM_MISMATCH
                    ? Reason.IMAGE_CHECKSUM_MISMATCH
                    : Reason.IMAGE_UNAVAILABLE;
            throw new GuestStartFailed(lease, reason, e.getMessage(), e);
        } catch (RestoredDomainXml.Mismatch e) {
            discardRestore(lease, saved, diskMoved);
            throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED, e.getMessage(), e);
        } catch (IOException e) {
            discardRestore(lease, saved, diskMoved);
            throw new GuestStartFailed(lease, Reason.HOST_STORAGE_FAILED,
                    "cannot prepare " + files.directoryOf(lease) + ": " + e, e);
        } catch (LibvirtConnection.CallFailed e) {
            discardRestore(lease, saved, diskMoved);
            throw new GuestStartFailed(lease, Reason.HYPERVISOR_REFUSED, e.getMessage(), e);
        } catch (HypervisorException e) {
            discardRestore(lease, saved, diskMoved);
            throw e;
        } catch (LibvirtException e) {
            discardRestore(lease, saved, diskMoved);
            throw LibvirtFailures.ofGuest(lease, "restore", e);
        }
    }

    /** Leaves nothing of a failed restore running or staged, and the saved disk where the caller had it. */
    private void discardRestore(LeaseId lease, SavedGuest saved, boolean diskMoved) {
        try {
            Optional<Domain> domain = lookup(lease);
            if (domain.isPresent()) {
                domain.get().destroy();
            }
        } catch (HypervisorException | LibvirtException e) {
            LOG.log(System.Logger.Level.WARNING, "could not destroy a half-restored guest of lease " + lease, e);
        }
        if (diskMoved) {
            try {
                Files.move(files.restoredDisk(lease), saved.diskFile());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "could not move the saved disk of lease " + lease + " back to "
                        + saved.diskFile() + "; it is lost with the lease directory", e);
            }
        }
        removeFiles(lease);
    }

    @Override
    public void announcePreemption(LeaseId lease, java.time.Instant end) throws HypervisorException {
        Domain domain = require(lease);
        Optional<String> socket;
        try {
            // Flags 0: the running domain's definition (and the persistent one, if it has one).
            domain.setMetadata(METADATA_ELEMENT, PreemptionNotice.xml(end), PreemptionNotice.PREFIX,
                    PreemptionNotice.NAMESPACE, 0);
            socket = DomainDevices.of(domain.getXMLDesc(0)).noticeSocket();
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "announce pre-emption", e);
        }
        if (socket.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "guest of lease {0} has no notice channel (started by an older agent):"
                    + " its pre-emption notice is in its metadata only", lease);
            return;
        }
        try {
            notices.send(lease, Path.of(socket.get()), NoticeChannel.preemptionLine(lease, end));
        } catch (IOException e) {
            // Thrown, so the caller tells the guest again in its next round.
            throw new GuestOperationFailed(lease, "announce pre-emption",
                    "cannot write to its notice channel " + socket.get() + ": " + e, e);
        }
    }

    /** The running guest's domain definition as libvirt holds it, for diagnostics and tests. */
    public String definition(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            return domain.getXMLDesc(0);
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "read definition", e);
        }
    }

    /** The pre-emption notice a guest carries, if any; what {@link #announcePreemption} wrote. */
    public Optional<java.time.Instant> preemptionNotice(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            return PreemptionNotice.parse(domain.getMetadata(METADATA_ELEMENT, PreemptionNotice.NAMESPACE, 0));
        } catch (LibvirtException e) {
            if (LibvirtFailures.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA)) {
                return Optional.empty();
            }
            throw LibvirtFailures.ofGuest(lease, "read pre-emption notice", e);
        }
    }

    @Override
    public List<Guest> guests() throws HypervisorException {
        Domain[] domains;
        try {
            domains = connect.listAllDomains(LIST_ACTIVE);
        } catch (LibvirtException e) {
            throw LibvirtFailures.unavailable("listing domains", e);
        }
        List<Guest> guests = new ArrayList<>();
        for (Domain domain : domains) {
            try {
                Optional<LeaseMetadata> metadata = metadataOf(domain);
                if (metadata.isPresent() && ours(metadata.get())) {
                    guests.add(guestOf(domain, metadata.get()));
                }
            } catch (LibvirtException e) {
                if (LibvirtFailures.connectionLost(e)) {
                    throw LibvirtFailures.unavailable("reading domains", e);
                }
                // Gone between listing and reading: no longer running, so not listed.
            }
        }
        return guests;
    }

    @Override
    public GuestStats sample(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            Instant startedAt = metadataOf(domain).map(LeaseMetadata::startedAt).orElse(null);
            Instant now = clock.instant();
            DomainInfo info = domain.getInfo();
            DomainDevices devices = DomainDevices.of(domain.getXMLDesc(0));
            long diskRead = 0;
            long diskWritten = 0;
            for (String target : devices.diskTargets()) {
                DomainBlockStats block = domain.blockStats(target);
                diskRead += Math.max(0, block.rd_bytes);
                diskWritten += Math.max(0, block.wr_bytes);
            }
            long received = 0;
            long sent = 0;
            for (String mac : devices.interfaceMacs()) {
                DomainInterfaceStats nic = domain.interfaceStats(mac);
                received += Math.max(0, nic.rx_bytes);
                sent += Math.max(0, nic.tx_bytes);
            }
            return new GuestStats(lease, now, info.cpuTime, info.memory / 1024, received, sent, diskRead, diskWritten,
                    startedAt);
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "sample", e);
        }
    }

    /** Where the guest's serial console is logged, for diagnosing a boot; empty for a Xen PV guest. */
    public Optional<Path> consoleLog(LeaseId lease) throws HypervisorException {
        Domain domain = require(lease);
        try {
            return DomainDevices.of(domain.getXMLDesc(0)).consoleLog().map(Path::of);
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "read console", e);
        }
    }

    @Override
    public HostCapacity capacity() throws HypervisorException {
        if (settings.capacity().isPresent()) {
            return settings.capacity().get();
        }
        try {
            NodeInfo node = connect.nodeInfo();
            return new HostCapacity(node.cpus, node.memory / 1024, freeDiskGib());
        } catch (LibvirtException e) {
            throw LibvirtFailures.unavailable("reading node info", e);
        }
    }

    private long freeDiskGib() throws HypervisorException {
        try {
            Files.createDirectories(settings.workDir());
            return Files.getFileStore(settings.workDir()).getUsableSpace() >> 30;
        } catch (IOException e) {
            throw new HypervisorUnavailable("cannot read free space of " + settings.workDir(), e);
        }
    }

    @Override
    public void close() {
        notices.close();
        try {
            connect.close();
        } catch (LibvirtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing libvirt connection failed", e);
        }
    }

    /**
     * The running domain of a lease, if there is one: the domain named for the lease, or else one whose
     * metadata names the lease. A guest restored from a save keeps the name it was saved under (libvirt
     * refuses to rename a guest it restores), so only its metadata tells its new lease.
     */
    private Optional<Domain> lookup(LeaseId lease) throws HypervisorException {
        try {
            Domain domain = connect.domainLookupByName(DomainXml.domainName(lease));
            if (domain.isActive() == 1 && !runsForAnotherLease(domain, lease)) {
                return Optional.of(domain);
            }
        } catch (LibvirtException e) {
            if (!LibvirtFailures.noDomain(e)) {
                throw LibvirtFailures.unavailable("looking up lease " + lease, e);
            }
        }
        return restoredFor(lease);
    }

    /** A domain named for {@code lease} that was restored for another lease: it keeps its saved name. */
    private static boolean runsForAnotherLease(Domain domain, LeaseId lease) throws LibvirtException {
        return metadataOf(domain).map(m -> !m.lease().equals(lease)).orElse(false);
    }

    private Optional<Domain> restoredFor(LeaseId lease) throws HypervisorException {
        Domain[] domains;
        try {
            domains = connect.listAllDomains(LIST_ACTIVE);
        } catch (LibvirtException e) {
            throw LibvirtFailures.unavailable("looking up lease " + lease, e);
        }
        for (Domain domain : domains) {
            try {
                Optional<LeaseMetadata> metadata = metadataOf(domain);
                if (metadata.isPresent() && metadata.get().lease().equals(lease) && ours(metadata.get())) {
                    return Optional.of(domain);
                }
            } catch (LibvirtException e) {
                if (LibvirtFailures.connectionLost(e)) {
                    throw LibvirtFailures.unavailable("looking up lease " + lease, e);
                }
                // Gone between listing and reading: not the one.
            }
        }
        return Optional.empty();
    }

    private static String nameOf(Domain domain) {
        try {
            return domain.getName();
        } catch (LibvirtException e) {
            return "(unreadable name: " + e.getMessage() + ")";
        }
    }

    private Domain require(LeaseId lease) throws HypervisorException {
        Domain domain = lookup(lease).orElseThrow(() -> new GuestNotFound(lease));
        try {
            boolean ours = metadataOf(domain).map(m -> m.lease().equals(lease) && ours(m)).orElse(false);
            if (!ours) {
                throw new GuestNotFound(lease);
            }
            return domain;
        } catch (LibvirtException e) {
            throw LibvirtFailures.ofGuest(lease, "read metadata", e);
        }
    }

    /**
     * Whether a lease domain is this agent's: its metadata names this work directory, or, for a
     * domain started before domains named it, its lease directory is in this work directory (every
     * guest this driver starts has one). Several agents can then share one libvirtd, test runs side
     * by side for one, and none lists, meters or stops another's guests.
     */
    private boolean ours(LeaseMetadata metadata) {
        return metadata.workDir() == null
                ? Files.isDirectory(files.directoryOf(metadata.lease()))
                : metadata.names(settings.workDir());
    }

    private static Optional<LeaseMetadata> metadataOf(Domain domain) throws LibvirtException {
        try {
            return LeaseMetadata.parse(domain.getMetadata(METADATA_ELEMENT, LeaseMetadata.NAMESPACE, 0));
        } catch (LibvirtException e) {
            if (LibvirtFailures.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Guest guestOf(Domain domain, LeaseMetadata metadata) throws LibvirtException {
        DomainInfo info = domain.getInfo();
        return new Guest(metadata.lease(), domain.getName(), stateOf(info.state), info.nrVirtCpu,
                info.maxMem / 1024, metadata.diskGib());
    }

    private static GuestState stateOf(DomainInfo.DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> GuestState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF -> GuestState.STOPPING;
            case VIR_DOMAIN_CRASHED -> GuestState.FAILED;
            default -> GuestState.RUNNING;
        };
    }

    private void removeFiles(LeaseId lease) {
        try {
            files.remove(lease);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove files of lease " + lease, e);
        }
    }
}
