package org.xenomarket.vmm.hypervisor;

import java.util.List;
import java.util.Objects;

/**
 * Everything a hypervisor needs to run the guest of one lease with the leased caps.
 *
 * @param lease           the lease the guest runs for
 * @param vcpus           virtual CPUs
 * @param memoryMib       memory, fixed for the life of the guest
 * @param cpuQuotaPercent share of each vCPU's time the guest may use, 1-100 (100 = uncapped)
 * @param disk            disk size and I/O limits
 * @param network         bandwidth caps, applied where the host gives guests a network
 * @param boot            the image the guest boots
 * @param passthrough     host PCI devices (the lease's accelerators) given whole to the guest; empty for none
 */
public record GuestSpec(
        LeaseId lease, int vcpus, int memoryMib, int cpuQuotaPercent, DiskSpec disk, NetworkLimits network, BootImage boot,
        List<PciAddress> passthrough) {

    /** A guest with no devices passed through. */
    public GuestSpec(LeaseId lease, int vcpus, int memoryMib, int cpuQuotaPercent, DiskSpec disk, NetworkLimits network,
                     BootImage boot) {
        this(lease, vcpus, memoryMib, cpuQuotaPercent, disk, network, boot, List.of());
    }

    public GuestSpec {
        passthrough = passthrough == null ? List.of() : List.copyOf(passthrough);
        if (new java.util.HashSet<>(passthrough).size() != passthrough.size()) {
            throw new IllegalArgumentException("a device can be passed through once: " + passthrough);
        }
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(boot, "boot");
        if (vcpus < 1) {
            throw new IllegalArgumentException("a guest needs at least one vCPU");
        }
        if (memoryMib < 16) {
            throw new IllegalArgumentException("a guest needs at least 16 MiB of memory");
        }
        if (cpuQuotaPercent < 1 || cpuQuotaPercent > 100) {
            throw new IllegalArgumentException("CPU quota is a percentage from 1 to 100: " + cpuQuotaPercent);
        }
    }

    /** The share of the host this guest takes from the market's point of view. */
    public HostCapacity allocation() {
        return new HostCapacity(vcpus, memoryMib, disk.sizeGib());
    }
}
