package org.xenomarket.vmm.hypervisor;

import java.util.List;

/**
 * What a restarted agent found on its host.
 *
 * @param adopted guests of active leases, now managed again
 * @param removed guests whose lease is no longer active, stopped
 * @param missing active leases with no guest: crashed or lost while the agent was down
 */
public record AdoptionReport(List<Guest> adopted, List<LeaseId> removed, List<LeaseId> missing) {

    public AdoptionReport {
        adopted = List.copyOf(adopted);
        removed = List.copyOf(removed);
        missing = List.copyOf(missing);
    }
}
