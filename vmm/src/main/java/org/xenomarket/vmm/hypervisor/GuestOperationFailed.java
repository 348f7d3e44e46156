package org.xenomarket.vmm.hypervisor;

/** The hypervisor refused an operation on a running guest (stop, suspend, resume, sample). */
public class GuestOperationFailed extends HypervisorException {

    private final LeaseId lease;
    private final String operation;

    public GuestOperationFailed(LeaseId lease, String operation, String detail, Throwable cause) {
        super(operation + " of the guest for lease " + lease + " failed: " + detail, cause);
        this.lease = lease;
        this.operation = operation;
    }

    public LeaseId lease() {
        return lease;
    }

    public String operation() {
        return operation;
    }
}
