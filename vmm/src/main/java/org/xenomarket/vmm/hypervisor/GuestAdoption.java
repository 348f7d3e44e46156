package org.xenomarket.vmm.hypervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reconciles the guests on the host with the leases the market says are active, after the agent
 * restarts: guests keep running across an agent restart, so they are taken back rather than
 * rebooted, and guests of leases that ended meanwhile are stopped so nobody runs unbilled.
 */
public final class GuestAdoption {

    private final Hypervisor hypervisor;
    private final Duration gracePeriod;

    public GuestAdoption(Hypervisor hypervisor, Duration gracePeriod) {
        this.hypervisor = Objects.requireNonNull(hypervisor);
        this.gracePeriod = Objects.requireNonNull(gracePeriod);
    }

    public AdoptionReport reconcile(Set<LeaseId> activeLeases) throws HypervisorException {
        List<Guest> adopted = new ArrayList<>();
        List<LeaseId> removed = new ArrayList<>();
        Set<LeaseId> seen = new HashSet<>();
        for (Guest guest : hypervisor.guests()) {
            seen.add(guest.lease());
            if (activeLeases.contains(guest.lease())) {
                adopted.add(guest);
            } else {
                try {
                    hypervisor.stop(guest.lease(), gracePeriod);
                } catch (GuestNotFound alreadyGone) {
                    // It ended on its own between listing and stopping: the outcome we wanted.
                }
                removed.add(guest.lease());
            }
        }
        List<LeaseId> missing = activeLeases.stream()
                .filter(lease -> !seen.contains(lease))
                .sorted((a, b) -> a.value().compareTo(b.value()))
                .toList();
        return new AdoptionReport(adopted, removed, missing);
    }
}
