package org.xenomarket.vmm.hypervisor.libvirt;

import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.xenomarket.vmm.hypervisor.GuestNotFound;
import org.xenomarket.vmm.hypervisor.GuestOperationFailed;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.HypervisorUnavailable;
import org.xenomarket.vmm.hypervisor.LeaseId;

/** Turns libvirt's error codes into the named failures the agent acts on. */
final class LibvirtFailures {

    private static final Set<ErrorNumber> CONNECTION_LOST =
            Set.of(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorNumber.VIR_ERR_RPC, ErrorNumber.VIR_ERR_INVALID_CONN);

    private LibvirtFailures() {
    }

    static boolean is(LibvirtException e, ErrorNumber code) {
        return e.getError() != null && e.getError().getCode() == code;
    }

    static boolean noDomain(LibvirtException e) {
        return is(e, ErrorNumber.VIR_ERR_NO_DOMAIN);
    }

    static boolean connectionLost(LibvirtException e) {
        return e.getError() != null && CONNECTION_LOST.contains(e.getError().getCode());
    }

    static HypervisorException ofGuest(LeaseId lease, String operation, LibvirtException e) {
        if (noDomain(e)) {
            return new GuestNotFound(lease);
        }
        if (connectionLost(e)) {
            return new HypervisorUnavailable(operation + " of lease " + lease + ": " + e.getMessage(), e);
        }
        return new GuestOperationFailed(lease, operation, e.getMessage(), e);
    }

    static HypervisorUnavailable unavailable(String what, LibvirtException e) {
        return new HypervisorUnavailable(what + ": " + e.getMessage(), e);
    }
}
