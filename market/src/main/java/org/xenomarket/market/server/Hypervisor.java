package org.xenomarket.market.server;

/** The hypervisor that isolates and meters guests on a server. */
public enum Hypervisor {
    XEN,
    KVM,
    QEMU,
    /** The node agent's simulated driver, for demos and load tests. */
    SIMULATED
}
