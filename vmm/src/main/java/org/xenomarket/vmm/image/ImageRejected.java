package org.xenomarket.vmm.image;

/** A boot image that must not be booted: missing, unreadable, or not the one the lease names. */
public class ImageRejected extends Exception {

    /** Why the image was refused. */
    public enum Reason {
        UNAVAILABLE,
        CHECKSUM_MISMATCH
    }

    private final Reason reason;

    public ImageRejected(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejected(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
