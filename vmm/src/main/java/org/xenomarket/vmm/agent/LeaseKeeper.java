package org.xenomarket.vmm.agent;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xenomarket.vmm.hypervisor.BootImage;
import org.xenomarket.vmm.hypervisor.DiskSpec;
import org.xenomarket.vmm.hypervisor.Guest;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestSpec;
import org.xenomarket.vmm.hypervisor.GuestStartFailed;
import org.xenomarket.vmm.hypervisor.GuestState;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.NetworkLimits;
import org.xenomarket.vmm.hypervisor.StopOutcome;
import org.xenomarket.vmm.image.ImageCache;
import org.xenomarket.vmm.image.ImageRejected;

/**
 * Brings the host in line with the market's lease assignments, one round at a time: starts the
 * guest of a lease whose window has come, reports its state, stops guests whose lease is over or
 * no longer assigned. Each round looks at the host afresh, so a round cut short (market down,
 * agent killed) is simply finished by the next one; the market accepts a repeated report.
 */
public final class LeaseKeeper {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());

    private final Hypervisor hypervisor;
    private final MarketClient market;
    private final BootImage boot;
    private final int cpuQuotaPercent;
    private final Duration stopGrace;
    private final Clock clock;
    private final java.util.function.Consumer<LeaseId> beforeStop;
    private final java.util.function.Consumer<LeaseId> afterStart;
    private final ImageCache images;
    private final GuestMover mover;
    /** The notice end each pre-empted lease's guest was told, so it is told once, not every round. */
    private final Map<LeaseId, Instant> announced = new HashMap<>();

    public LeaseKeeper(Hypervisor hypervisor, MarketClient market, BootImage boot, int cpuQuotaPercent,
                       Duration stopGrace, Clock clock) {
        this(hypervisor, market, boot, cpuQuotaPercent, stopGrace, clock, lease -> { });
    }

    /**
     * {@code meter} runs right after a guest started and just before a guest is stopped: metering
     * takes its first sample, and records its last usage, there.
     */
    public LeaseKeeper(Hypervisor hypervisor, MarketClient market, BootImage boot, int cpuQuotaPercent,
                       Duration stopGrace, Clock clock, java.util.function.Consumer<LeaseId> meter) {
        this(hypervisor, market, boot, cpuQuotaPercent, stopGrace, clock, meter, null);
    }

    /** {@code images} fetches the catalogue images leases name; null: such leases fail. */
    public LeaseKeeper(Hypervisor hypervisor, MarketClient market, BootImage boot, int cpuQuotaPercent,
                       Duration stopGrace, Clock clock, java.util.function.Consumer<LeaseId> meter,
                       ImageCache images) {
        this(hypervisor, market, boot, cpuQuotaPercent, stopGrace, clock, meter, images, null);
    }

    /**
     * {@code movesDir} holds guests saved to move to another server (see {@link GuestMover}); null: this
     * node takes no part in moves, and a lease's move step is ignored.
     */
    public LeaseKeeper(Hypervisor hypervisor, MarketClient market, BootImage boot, int cpuQuotaPercent,
                       Duration stopGrace, Clock clock, java.util.function.Consumer<LeaseId> meter,
                       ImageCache images, java.nio.file.Path movesDir) {
        this.mover = movesDir == null ? null : new GuestMover(hypervisor, market, movesDir);
        this.images = images;
        this.beforeStop = meter;
        this.afterStart = meter;
        this.hypervisor = hypervisor;
        this.market = market;
        this.boot = boot;
        this.cpuQuotaPercent = cpuQuotaPercent;
        this.stopGrace = stopGrace;
        this.clock = clock;
    }

    /** One round. Market trouble ends the round (the caller backs off); a hypervisor failure costs one lease only. */
    public void reconcile(String token, List<LeaseAssignment> assignments)
            throws MarketUnreachable, HypervisorException {
        Map<LeaseId, Guest> guests = new HashMap<>();
        for (Guest guest : hypervisor.guests()) {
            guests.put(guest.lease(), guest);
        }
        Set<LeaseId> assigned = new HashSet<>();
        assignments.forEach(a -> assigned.add(a.lease()));
        if (mover != null) {
            mover.forgetAllBut(assigned);
        }
        for (LeaseId lease : guests.keySet()) {
            if (!assigned.contains(lease)) {
                stop(lease, "its lease is no longer assigned to this node");
            }
        }
        for (LeaseAssignment assignment : assignments) {
            try {
                keep(token, assignment, guests.get(assignment.lease()));
            } catch (MarketRefused refused) {
                // E.g. the market failed the lease meanwhile; the next round sees its new state.
                LOG.log(Level.WARNING, "lease " + assignment.lease() + ": " + refused.getMessage());
            } catch (HypervisorException e) {
                LOG.log(Level.ERROR, "lease " + assignment.lease() + ": the hypervisor failed: " + e.getMessage(), e);
            }
        }
    }

    /** Stops a guest the market asked to stop, if it runs here. */
    public void stop(LeaseId lease, String why) throws HypervisorException {
        beforeStop.accept(lease);
        try {
            StopOutcome outcome = hypervisor.stop(lease, stopGrace);
            LOG.log(Level.INFO, "stopped guest of lease {0} ({1}): {2}", lease, outcome, why);
        } catch (GuestNotFound gone) {
            // Already gone: what we wanted.
        }
    }

    private void keep(String token, LeaseAssignment lease, Guest guest)
            throws MarketUnreachable, MarketRefused, HypervisorException {
        Instant now = clock.instant();
        if (!now.isBefore(lease.end()) || lease.state().equals("ENDING")) {
            if (guest != null) {
                if (!lease.state().equals("ENDING")) {
                    market.report(token, lease.lease(), "ENDING", null);
                }
                stop(lease.lease(), "the lease ended at " + lease.end());
            }
            market.report(token, lease.lease(), "ENDED", null);
            return;
        }
        if (lease.move() != null && mover != null && lease.state().equals("RUNNING")) {
            move(token, lease, guest);
            return;
        }
        switch (lease.state()) {
            case "PENDING", "STARTING" -> {
                if (now.isBefore(lease.start())) {
                    return;
                }
                if (guest != null) {
                    // Started in an earlier round whose report was lost.
                    market.report(token, lease.lease(), "RUNNING", null);
                    return;
                }
                if (lease.state().equals("PENDING")) {
                    market.report(token, lease.lease(), "STARTING", null);
                }
                start(token, lease);
            }
            case "RUNNING" -> {
                if (guest == null && restoredKeptCopy(lease)) {
                    return;
                }
                if (guest == null) {
                    market.reportFailure(token, lease.lease(), "the guest stopped unexpectedly on the host",
                            FailureCause.HOST);
                } else if (guest.state() == GuestState.FAILED) {
                    stop(lease.lease(), "it crashed");
                    market.reportFailure(token, lease.lease(), "the guest crashed", FailureCause.HOST);
                } else {
                    followSuspension(lease, guest);
                    announcePreemption(lease);
                }
            }
            default -> LOG.log(Level.WARNING, "lease {0} is in state {1}, which this agent does not know",
                    lease.lease(), lease.state());
        }
    }

    /** This node's step in the lease's move: save and upload it, leave it be, or restore it here. */
    private void move(String token, LeaseAssignment lease, Guest guest)
            throws MarketUnreachable, MarketRefused, HypervisorException {
        switch (lease.move().action()) {
            case "SAVE" -> mover.save(token, lease, guest, () -> beforeStop.accept(lease.lease()));
            case "RESTORE" -> {
                GuestSpec spec;
                try {
                    spec = specOf(lease, boot);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    market.moveFailed(token, lease.move().id(), "this node cannot run such a guest: " + e.getMessage());
                    return;
                }
                if (mover.restore(token, lease, guest, spec) != null) {
                    afterStart.accept(lease.lease());
                }
            }
            // AWAY: the guest is saved and on its way; its absence here is no failure
            default -> {
            }
        }
    }

    /** A guest saved here for a move that did not finish runs again from its kept copy. */
    private boolean restoredKeptCopy(LeaseAssignment lease) throws HypervisorException {
        if (mover == null) {
            return false;
        }
        GuestSpec spec;
        try {
            spec = specOf(lease, boot);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
        if (!mover.restoreKeptCopy(lease.lease(), spec)) {
            return false;
        }
        afterStart.accept(lease.lease());
        return true;
    }

    private GuestSpec specOf(LeaseAssignment lease, BootImage image) {
        int quota = lease.cpuQuotaPercent() == null ? cpuQuotaPercent : lease.cpuQuotaPercent();
        return new GuestSpec(lease.lease(), lease.vcpus(), Math.toIntExact(lease.memoryMib()), quota,
                DiskSpec.unlimited(Math.toIntExact(lease.diskGib())),
                new NetworkLimits(0, Math.toIntExact(lease.egressMbps())), image, passthrough(lease));
    }

    /** Freezes or thaws the guest as the market says; the guest's state on the host is the memory. */
    private void followSuspension(LeaseAssignment lease, Guest guest) throws HypervisorException {
        if (lease.suspended() && guest.state() == GuestState.RUNNING) {
            hypervisor.suspend(lease.lease());
            LOG.log(Level.INFO, "suspended guest of lease {0}", lease.lease());
        } else if (!lease.suspended() && guest.state() == GuestState.PAUSED) {
            hypervisor.resume(lease.lease());
            LOG.log(Level.INFO, "resumed guest of lease {0}", lease.lease());
        }
    }

    /** Passes a pre-emption notice to the guest once per notice end this agent process has seen. */
    private void announcePreemption(LeaseAssignment lease) throws HypervisorException {
        if (lease.preemptedAt() == null || lease.end().equals(announced.get(lease.lease()))) {
            return;
        }
        hypervisor.announcePreemption(lease.lease(), lease.end());
        announced.put(lease.lease(), lease.end());
        LOG.log(Level.INFO, "told guest of lease {0} it is pre-empted: it stops at {1}", lease.lease(), lease.end());
    }

    /**
     * The cause of a catalogue image that could not be fetched or verified: the image's, except on
     * an agent with no image cache, which cannot boot catalogue images at all (its own lack).
     */
    private FailureCause imageFailureCause() {
        return images == null ? FailureCause.HOST : FailureCause.IMAGE;
    }

    /**
     * The lease's accelerators as devices to pass through: their PCI addresses. A {@code #n} device is one of
     * a server listed without addresses (a simulated node): nothing to pass through, the lease only counts it.
     */
    static java.util.List<org.xenomarket.vmm.hypervisor.PciAddress> passthrough(LeaseAssignment lease) {
        return lease.accelerators().stream().filter(device -> !device.startsWith("#"))
                .map(org.xenomarket.vmm.hypervisor.PciAddress::parse).toList();
    }

    private void start(String token, LeaseAssignment lease) throws MarketUnreachable, MarketRefused, HypervisorException {
        BootImage image = boot;
        String imageNote = null;
        if (lease.image() != null) {
            try {
                if (images == null) {
                    throw new ImageRejected(ImageRejected.Reason.UNAVAILABLE, "this node has no image cache");
                }
                ImageCache.Boot fetched = images.bootFrom(lease.image());
                image = fetched.image();
                imageNote = imageNote(lease, fetched);
            } catch (ImageRejected e) {
                // Nothing was started; the sponsor reads which file and why. The catalogue image is
                // the sponsor's choice, so its failure is not this host's (see imageFailureCause).
                GuestStartFailed.Reason reason = e.reason() == ImageRejected.Reason.CHECKSUM_MISMATCH
                        ? GuestStartFailed.Reason.IMAGE_CHECKSUM_MISMATCH : GuestStartFailed.Reason.IMAGE_UNAVAILABLE;
                LOG.log(Level.WARNING, "lease " + lease.lease() + ": " + e.getMessage());
                market.reportFailure(token, lease.lease(), "the guest could not start (" + reason + "): "
                        + e.getMessage(), imageFailureCause());
                return;
            }
        }
        GuestSpec spec;
        try {
            spec = specOf(lease, image);
        } catch (IllegalArgumentException | ArithmeticException e) {
            market.reportFailure(token, lease.lease(), "this node cannot run such a guest: " + e.getMessage(),
                    FailureCause.HOST);
            return;
        }
        try {
            hypervisor.start(spec);
        } catch (GuestStartFailed e) {
            // Nothing half-started is left (the driver's contract); the sponsor reads why. Whatever the
            // reason, it is this host's: a catalogue image was verified into the cache above, so a
            // mismatch here is the host's copy or the provider's own configured image.
            LOG.log(Level.WARNING, e.getMessage());
            market.reportFailure(token, lease.lease(), "the guest could not start (" + e.reason() + "): "
                    + e.getMessage(), FailureCause.HOST);
            return;
        }
        LOG.log(Level.INFO, "started guest of lease {0}: {1} vCPU, {2} MiB, {3} GiB", lease.lease(), lease.vcpus(),
                lease.memoryMib(), lease.diskGib());
        // Metering takes its first sample now, so the lease is metered from (within milliseconds of) its start.
        afterStart.accept(lease.lease());
        market.report(token, lease.lease(), "RUNNING", imageNote);
    }

    /**
     * What the sponsor reads beside RUNNING for a catalogue image: whether it came from a cache at this
     * site (warm) or over the long haul from its origin, and any copy refused on the way with why.
     */
    private static String imageNote(LeaseAssignment lease, ImageCache.Boot fetched) {
        String note = "image " + lease.image().name() + (fetched.warm() ? " started from a warm site cache"
                : " fetched from its origin");
        if (!fetched.refused().isEmpty()) {
            note += "; refused on the way: " + String.join("; ", fetched.refused());
            LOG.log(Level.WARNING, "lease " + lease.lease() + ": " + note);
        }
        return note;
    }
}
