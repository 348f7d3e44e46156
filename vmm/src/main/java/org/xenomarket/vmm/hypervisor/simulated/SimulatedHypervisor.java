package org.xenomarket.vmm.hypervisor.simulated;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xenomarket.vmm.hypervisor.Admission;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestOperationFailed;
import org.xenomarket.vmm.hypervisor.SavedGuest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.PciAddress;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.GuestStats;
import org.xenomarket.vmm.hypervisor.HostCapacity;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.image.ImageRef;
import org.xenomarket.vmm.image.ImageRejected;
import org.xenomarket.vmm.image.ImageVerifier;

/**
 * A hypervisor in memory, for demos and load tests: guests boot instantly and their counters
 * advance with a clock the caller controls. It checks images and capacity like the real driver,
 * so the agent's failure paths behave the same on it.
 */
public final class SimulatedHypervisor implements Hypervisor {

    private final HostCapacity capacity;
    private final Clock clock;
    private final ImageVerifier verifier = new ImageVerifier();
    private final Map<LeaseId, SimulatedGuest> guests = new LinkedHashMap<>();
    private GuestLoad defaultLoad = GuestLoad.typical();

    private final SimulatedHostFile hostFile;

    /** A simulated host whose guests live only as long as this object. */
    public SimulatedHypervisor(HostCapacity capacity, Clock clock) {
        this.capacity = Objects.requireNonNull(capacity);
        this.clock = Objects.requireNonNull(clock);
        this.hostFile = null;
    }

    /**
     * A simulated host whose guests are kept in {@code hostFile}, so they outlive this object (and
     * the agent process) as libvirt domains do; guests found in the file run again at once.
     */
    public SimulatedHypervisor(HostCapacity capacity, Clock clock, Path hostFile) {
        this.capacity = Objects.requireNonNull(capacity);
        this.clock = Objects.requireNonNull(clock);
        this.hostFile = new SimulatedHostFile(hostFile);
        for (SimulatedHostFile.Entry entry : this.hostFile.load()) {
            Instant started = entry.startedAt() == null ? clock.instant() : entry.startedAt();
            SimulatedGuest guest = new SimulatedGuest(entry.spec(), defaultLoad, started, entry.resumedAt());
            if (entry.paused()) {
                guest.state(GuestState.PAUSED);
            }
            guest.preemptionNotice(entry.preemptionNotice());
            guests.put(entry.spec().lease(), guest);
        }
    }

    private void persist() {
        if (hostFile != null) {
            hostFile.save(guests.values().stream()
                    .map(g -> new SimulatedHostFile.Entry(g.spec(), g.startedAt(), g.view().state() == GuestState.PAUSED,
                            g.preemptionNotice(), g.resumedAt())).toList());
        }
    }

    /** The load new guests get. */
    /** The host PCI devices each running guest was given, by lease: what a real host's domains hold. */
    public synchronized java.util.Map<LeaseId, List<PciAddress>> passthrough() {
        java.util.Map<LeaseId, List<PciAddress>> out = new java.util.LinkedHashMap<>();
        guests.forEach((lease, guest) -> {
            if (!guest.spec().passthrough().isEmpty()) {
                out.put(lease, guest.spec().passthrough());
            }
        });
        return out;
    }

    public synchronized void defaultLoad(GuestLoad load) {
        this.defaultLoad = Objects.requireNonNull(load);
    }

    /** Changes how hard one guest works from now on; usage so far is kept. */
    public synchronized void load(LeaseId lease, GuestLoad load) throws GuestNotFound {
        require(lease).load(Objects.requireNonNull(load));
    }

    /** The spec a guest was started with, as the host keeps it. */
    public synchronized GuestSpec guestSpec(LeaseId lease) throws GuestNotFound {
        return require(lease).spec();
    }

    /** Makes a guest ignore shutdown requests, as a hung guest does, so a stop has to destroy it. */
    public synchronized void hang(LeaseId lease) throws GuestNotFound {
        require(lease).ignoreShutdown();
    }

    /** The guest dies on its own, as after a kernel panic: it is simply gone. */
    public synchronized void crash(LeaseId lease) throws GuestNotFound {
        require(lease);
        guests.remove(lease);
        persist();
    }

    @Override
    public synchronized Guest start(GuestSpec spec) throws GuestStartFailed {
        LeaseId lease = spec.lease();
        if (guests.containsKey(lease)) {
            throw new GuestStartFailed(lease, GuestStartFailed.Reason.ALREADY_RUNNING, "a simulated guest runs for it");
        }
        verifyImages(spec);
        Admission.check(spec, freeCapacity());
        // as libvirt would refuse a second domain on a device a running one holds
        for (SimulatedGuest other : guests.values()) {
            for (PciAddress device : spec.passthrough()) {
                if (other.spec().passthrough().contains(device)) {
                    throw new GuestStartFailed(lease, GuestStartFailed.Reason.HYPERVISOR_REFUSED, "PCI device "
                            + device + " is passed through to the guest of lease " + other.spec().lease());
                }
            }
        }
        SimulatedGuest guest = new SimulatedGuest(spec, defaultLoad, clock.instant());
        guests.put(lease, guest);
        persist();
        return guest.view();
    }

    private void verifyImages(GuestSpec spec) throws GuestStartFailed {
        for (ImageRef image : spec.boot().images()) {
            try {
                verifier.verify(image);
            } catch (ImageRejected e) {
                GuestStartFailed.Reason reason = e.reason() == ImageRejected.Reason.CHECKSUM_MISMATCH
                        ? GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH
                        : GuestStartFailed.Reason.IMAGE_UNAVAILABLE;
                throw new GuestStartFailed(spec.lease(), reason, e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized StopOutcome stop(LeaseId lease, Duration gracePeriod) throws GuestNotFound {
        SimulatedGuest guest = require(lease);
        guests.remove(lease);
        persist();
        // No waiting: a simulated guest either honours the request at once or never does.
        boolean graceful = !gracePeriod.isZero() && !gracePeriod.isNegative() && !guest.ignoresShutdown();
        return graceful ? StopOutcome.SHUT_DOWN : StopOutcome.DESTROYED;
    }

    @Override
    public synchronized void suspend(LeaseId lease) throws GuestNotFound {
        require(lease).state(GuestState.PAUSED);
        persist();
    }

    @Override
    public synchronized void resume(LeaseId lease) throws GuestNotFound {
        require(lease).state(GuestState.RUNNING);
        persist();
    }

    /**
     * Writes the guest's spec, state, load and counters to a state file and its simulated disk to a
     * disk file in {@code directory}, then removes the guest, so its capacity is free at once.
     */
    @Override
    public synchronized SavedGuest save(LeaseId lease, Path directory) throws GuestNotFound, GuestOperationFailed {
        SimulatedGuest guest = require(lease);
        SavedGuest saved;
        try {
            saved = SimulatedSaveFiles.write(guest, clock.instant(), directory);
        } catch (java.io.IOException e) {
            // Nothing changed: the guest still runs here, so the lease is not lost.
            throw new GuestOperationFailed(lease, "save", "cannot write the saved state to " + directory, e);
        }
        guests.remove(lease);
        persist();
        return saved;
    }

    /**
     * Resumes a guest that this driver saved (here or on another node) under {@code spec}'s lease:
     * its counters go on from the saved ones, it runs or stays paused as it was saved. Refused with
     * {@link GuestStartFailed} when it would not fit, or when the files are damaged, of another
     * driver, or of a guest whose memory differs from {@code spec}'s.
     */
    @Override
    public synchronized Guest restore(GuestSpec spec, SavedGuest saved) throws GuestStartFailed {
        LeaseId lease = spec.lease();
        if (guests.containsKey(lease)) {
            throw new GuestStartFailed(lease, GuestStartFailed.Reason.ALREADY_RUNNING, "a simulated guest runs for it");
        }
        Admission.check(spec, freeCapacity());
        SimulatedSaveFiles.Contents contents = SimulatedSaveFiles.read(spec, saved);
        SimulatedGuest guest = new SimulatedGuest(spec, contents.load(), clock.instant(), contents.counters());
        if (contents.paused()) {
            guest.state(GuestState.PAUSED);
        }
        guests.put(lease, guest);
        persist();
        return guest.view();
    }

    @Override
    public synchronized void announcePreemption(LeaseId lease, Instant end) throws GuestNotFound {
        require(lease).preemptionNotice(end);
        persist();
    }

    /** The pre-emption notice the guest was given, or null. */
    public synchronized Instant preemptionNotice(LeaseId lease) throws GuestNotFound {
        return require(lease).preemptionNotice();
    }

    @Override
    public synchronized List<Guest> guests() {
        List<Guest> views = new ArrayList<>();
        for (SimulatedGuest guest : guests.values()) {
            guest.advanceTo(clock.instant());
            views.add(guest.view());
        }
        return views;
    }

    @Override
    public synchronized GuestStats sample(LeaseId lease) throws GuestNotFound {
        return require(lease).stats();
    }

    @Override
    public HostCapacity capacity() {
        return capacity;
    }

    @Override
    public synchronized HostCapacity freeCapacity() {
        HostCapacity used = HostCapacity.zero();
        for (SimulatedGuest guest : guests.values()) {
            used = used.plus(guest.spec().allocation());
        }
        return capacity.minus(used);
    }

    @Override
    public void close() {
        // Nothing is held outside this object.
    }

    /** The guest of a lease with its counters brought up to now. */
    private SimulatedGuest require(LeaseId lease) throws GuestNotFound {
        SimulatedGuest guest = guests.get(lease);
        if (guest == null) {
            throw new GuestNotFound(lease);
        }
        guest.advanceTo(clock.instant());
        return guest;
    }
}
