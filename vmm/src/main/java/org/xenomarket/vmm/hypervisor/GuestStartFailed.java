package org.xenomarket.vmm.hypervisor;

/** The guest of a lease could not be started; nothing of it is left running or on disk. */
public class GuestStartFailed extends HypervisorException {

    /** Why a start failed, for the lease's failure record. */
    public enum Reason {
        /** A boot image's SHA-256 differs from the one in the lease. */
        IMAGE_CHECKSUM_MISMATCH,
        /** A boot image is not on this host or cannot be read. */
        IMAGE_UNAVAILABLE,
        /** The lease asks for more than the host has free. */
        INSUFFICIENT_CAPACITY,
        /** A guest for this lease is already running. */
        ALREADY_RUNNING,
        /** The host could not prepare the guest's files (disk full, permissions). */
        HOST_STORAGE_FAILED,
        /** The hypervisor refused the guest definition or failed to boot it. */
        HYPERVISOR_REFUSED
    }

    private final LeaseId lease;
    private final Reason reason;

    public GuestStartFailed(LeaseId lease, Reason reason, String detail) {
        this(lease, reason, detail, null);
    }

    public GuestStartFailed(LeaseId lease, Reason reason, String detail, Throwable cause) {
        super("guest for lease " + lease + " not started (" + reason + "): " + detail, cause);
        this.lease = lease;
        this.reason = reason;
    }

    public LeaseId lease() {
        return lease;
    }

    public Reason reason() {
        return reason;
    }
}
