package org.xenomarket.vmm.hypervisor;

/** How a guest ended when the agent stopped it. */
public enum StopOutcome {
    /** The guest shut itself down within the grace period. */
    SHUT_DOWN,
    /** The guest did not shut down in time and was destroyed. */
    DESTROYED
}
