package org.xenomarket.vmm.hypervisor;

/**
 * The lease's disk: its size and its I/O limits. A limit of 0 means unlimited.
 *
 * @param sizeGib          size of the guest's disk; for a kernel boot, a blank scratch disk of this size
 * @param readBytesPerSec  throttle on bytes read per second
 * @param writeBytesPerSec throttle on bytes written per second
 * @param iopsPerSec       throttle on read and write operations per second together
 */
public record DiskSpec(int sizeGib, long readBytesPerSec, long writeBytesPerSec, long iopsPerSec) {

    public DiskSpec {
        if (sizeGib < 0 || readBytesPerSec < 0 || writeBytesPerSec < 0 || iopsPerSec < 0) {
            throw new IllegalArgumentException("disk size and limits must not be negative");
        }
    }

    /** No disk beyond the boot image, and no limits. */
    public static DiskSpec none() {
        return new DiskSpec(0, 0, 0, 0);
    }

    public static DiskSpec unlimited(int sizeGib) {
        return new DiskSpec(sizeGib, 0, 0, 0);
    }

    public boolean isThrottled() {
        return readBytesPerSec > 0 || writeBytesPerSec > 0 || iopsPerSec > 0;
    }
}
