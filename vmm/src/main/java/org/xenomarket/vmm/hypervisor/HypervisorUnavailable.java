package org.xenomarket.vmm.hypervisor;

/** The hypervisor cannot be reached (daemon down, connection lost, wrong URI). */
public class HypervisorUnavailable extends HypervisorException {

    public HypervisorUnavailable(String detail, Throwable cause) {
        super("hypervisor unavailable: " + detail, cause);
    }
}
