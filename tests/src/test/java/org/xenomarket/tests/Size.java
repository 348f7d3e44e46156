package org.xenomarket.tests;

/**
 * A server's capacity or a bid's resources, with named fields:
 * {@code Size.vcpus(2).memoryMib(2048).diskGib(20)}. Immutable.
 */
final class Size {

    private final int vcpus;
    private final long memoryMib;
    private final long diskGib;

    private Size(int vcpus, long memoryMib, long diskGib) {
        this.vcpus = vcpus;
        this.memoryMib = memoryMib;
        this.diskGib = diskGib;
    }

    /** Starts a size of this many vCPUs (memory and disk to follow). */
    static Size vcpus(int count) {
        return new Size(count, 0, 0);
    }

    Size memoryMib(long mib) {
        return new Size(vcpus, mib, diskGib);
    }

    Size diskGib(long gib) {
        return new Size(vcpus, memoryMib, gib);
    }

    int vcpus() {
        return vcpus;
    }

    long memoryMib() {
        return memoryMib;
    }

    long diskGib() {
        return diskGib;
    }
}
