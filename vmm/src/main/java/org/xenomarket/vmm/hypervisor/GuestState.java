package org.xenomarket.vmm.hypervisor;

/** What a guest is doing, as far as the lease is concerned. */
public enum GuestState {
    /** Booting or running: the lease's resources are in use. */
    RUNNING,
    /** Suspended by the agent, e.g. while the sponsor's invoice is unpaid; memory is kept. */
    PAUSED,
    /** Being shut down or stopped but not yet gone. */
    STOPPING,
    /** Crashed or in a state the agent should treat as failed. */
    FAILED
}
