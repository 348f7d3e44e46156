package org.xenomarket.market;

/**
 * A host's size (or its free room, in a heartbeat), with named fields:
 * {@code Capacity.vcpus(4).memoryMib(8192).diskGib(100)}. Immutable.
 */
public final class Capacity {

    private final int vcpus;
    private final long memoryMib;
    private final long diskGib;

    private Capacity(int vcpus, long memoryMib, long diskGib) {
        this.vcpus = vcpus;
        this.memoryMib = memoryMib;
        this.diskGib = diskGib;
    }

    /** Starts a capacity of this many vCPUs (memory and disk to follow). */
    public static Capacity vcpus(int count) {
        return new Capacity(count, 0, 0);
    }

    public Capacity memoryMib(long mib) {
        return new Capacity(vcpus, mib, diskGib);
    }

    public Capacity diskGib(long gib) {
        return new Capacity(vcpus, memoryMib, gib);
    }

    public int vcpus() {
        return vcpus;
    }

    public long memoryMib() {
        return memoryMib;
    }

    public long diskGib() {
        return diskGib;
    }
}
