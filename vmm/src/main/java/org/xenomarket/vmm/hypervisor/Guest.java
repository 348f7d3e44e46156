package org.xenomarket.vmm.hypervisor;

/** A guest the hypervisor is running for a lease, with the caps it was started with. */
public record Guest(LeaseId lease, String name, GuestState state, int vcpus, long memoryMib, int diskGib) {

    public HostCapacity allocation() {
        return new HostCapacity(vcpus, memoryMib, diskGib);
    }
}
