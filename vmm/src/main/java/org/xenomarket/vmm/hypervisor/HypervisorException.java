package org.xenomarket.vmm.hypervisor;

/** A hypervisor operation that did not happen; the subclass names why. */
public abstract class HypervisorException extends Exception {

    protected HypervisorException(String message) {
        super(message);
    }

    protected HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
