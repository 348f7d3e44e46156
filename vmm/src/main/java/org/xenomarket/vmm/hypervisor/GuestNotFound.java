package org.xenomarket.vmm.hypervisor;

/** No guest runs for the lease: it was never started, has stopped, or crashed. */
public class GuestNotFound extends HypervisorException {

    private final LeaseId lease;

    public GuestNotFound(LeaseId lease) {
        super("no guest is running for lease " + lease);
        this.lease = lease;
    }

    public LeaseId lease() {
        return lease;
    }
}
