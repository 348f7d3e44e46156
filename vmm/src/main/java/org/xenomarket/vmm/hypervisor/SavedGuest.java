package org.xenomarket.vmm.hypervisor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What saving a guest left on this node so that another node can resume it: the guest's memory
 * and device state, and its disk as one self-contained file (no backing file on this node).
 *
 * @param lease     the lease whose guest was saved
 * @param stateFile the memory and device state, in the driver's own format
 * @param diskFile  the guest's disk as it was when the guest stopped
 */
public record SavedGuest(LeaseId lease, Path stateFile, Path diskFile) {

    public SavedGuest {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(diskFile, "diskFile");
    }
}
