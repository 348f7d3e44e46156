package org.xenomarket.metering.spool;

/**
 * The spool refused a record because it would exceed its size bound. The record is not taken:
 * the caller keeps the usage (the lease meter stays uncommitted) and tries again later.
 */
public final class SpoolFull extends Exception {

    private static final long serialVersionUID = 1L;

    private final long usedBytes;
    private final long limitBytes;

    public SpoolFull(long usedBytes, long limitBytes) {
        super("usage spool full: " + usedBytes + " of " + limitBytes + " bytes used and not yet acknowledged");
        this.usedBytes = usedBytes;
        this.limitBytes = limitBytes;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
