package org.xenomarket.vmm.config;

/** Which hypervisor driver the agent uses. */
public enum DriverKind {
    /** Real guests through libvirt (Xen, KVM, QEMU). */
    LIBVIRT,
    /** In-memory guests, for demos and load tests. */
    SIMULATED
}
