package org.xenomarket.vmm.hypervisor;

import java.time.Duration;
import java.util.List;

/**
 * The hypervisor of this Xenoserver: runs one isolated guest per lease with the leased caps, and
 * reports the counters that metering bills from.
 *
 * <p>Guests carry their lease id with them (for libvirt, in the domain metadata), so an agent that
 * restarts finds its guests again through {@link #guests()}; see {@link GuestAdoption}.
 */
public interface Hypervisor extends AutoCloseable {

    /**
     * Verifies the boot image, checks the lease fits the free capacity, and boots the guest.
     * On failure nothing is left running or staged.
     */
    Guest start(GuestSpec spec) throws GuestStartFailed, HypervisorException;

    /**
     * Asks the guest to shut down, waits up to {@code gracePeriod}, then destroys it; afterwards
     * the guest is gone and its staged files removed.
     */
    StopOutcome stop(LeaseId lease, Duration gracePeriod) throws GuestNotFound, HypervisorException;

    /** Freezes the guest: it keeps its memory but gets no CPU, disk or network time. */
    void suspend(LeaseId lease) throws GuestNotFound, HypervisorException;

    /** Lets a suspended guest run again. */
    void resume(LeaseId lease) throws GuestNotFound, HypervisorException;

    /**
     * Tells the guest it is being pre-empted: it will be stopped at {@code end}, so it can save
     * its work. Repeating the same notice is harmless (the guest may read it again). A failure
     * to reach the guest is thrown, so the caller can tell it again later.
     */
    void announcePreemption(LeaseId lease, java.time.Instant end) throws GuestNotFound, HypervisorException;

    /**
     * Saves the guest's memory and device state into {@code directory} and stops it, with its disk
     * made self-contained beside the state, so the guest can move to another node. Afterwards the
     * guest no longer runs here and holds no capacity; the files are the caller's to move and delete.
     */
    SavedGuest save(LeaseId lease, java.nio.file.Path directory) throws GuestNotFound, HypervisorException;

    /**
     * Starts {@code spec}'s guest from a state and disk that a driver of the same kind saved, here
     * or on another node: the guest resumes where it was saved, under {@code spec}'s lease and caps.
     */
    Guest restore(GuestSpec spec, SavedGuest saved) throws GuestStartFailed, HypervisorException;

    /** The guests that run for leases on this host, whoever started them. */
    List<Guest> guests() throws HypervisorException;

    /** The cumulative counters of one guest, for metering. */
    GuestStats sample(LeaseId lease) throws GuestNotFound, HypervisorException;

    /** What this host offers to leases in total. */
    HostCapacity capacity() throws HypervisorException;

    /** What is left of {@link #capacity()} after the running guests' allocations. */
    default HostCapacity freeCapacity() throws HypervisorException {
        HostCapacity used = HostCapacity.zero();
        for (Guest guest : guests()) {
            used = used.plus(guest.allocation());
        }
        return capacity().minus(used);
    }

    /** Releases the connection to the hypervisor; running guests keep running. */
    @Override
    void close();
}
