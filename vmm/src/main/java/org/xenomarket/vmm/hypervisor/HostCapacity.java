package org.xenomarket.vmm.hypervisor;

/** An amount of the host's leasable resources: whole, free, or taken by a guest. */
public record HostCapacity(int vcpus, long memoryMib, long diskGib) {

    public HostCapacity {
        if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
    }

    public static HostCapacity zero() {
        return new HostCapacity(0, 0, 0);
    }

    public HostCapacity plus(HostCapacity other) {
        return new HostCapacity(vcpus + other.vcpus, memoryMib + other.memoryMib, diskGib + other.diskGib);
    }

    /** What remains after {@code used}; floors at zero when the host is already over-committed by hand. */
    public HostCapacity minus(HostCapacity used) {
        return new HostCapacity(
                Math.max(0, vcpus - used.vcpus),
                Math.max(0, memoryMib - used.memoryMib),
                Math.max(0, diskGib - used.diskGib));
    }
}
