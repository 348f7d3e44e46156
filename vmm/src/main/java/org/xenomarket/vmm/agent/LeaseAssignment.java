package org.xenomarket.vmm.agent;

import java.time.Instant;
import java.util.List;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.image.CatalogueImage;

/**
 * A lease the market says this node must run or wind down, with the guest's caps.
 *
 * @param cpuQuotaPercent share of each vCPU the guest may use; null when the market does not say
 *                        (the agent's configured quota applies)
 * @param egressMbps      outbound bandwidth cap in Mbit/s; 0 when the market does not say (no cap)
 * @param suspended       whether the sponsor or an operator has the guest suspended
 * @param preemptedAt     when the market pre-empted the lease (its end is then the notice's end); null if not
 * @param image           the catalogue image the guest boots; null: the image configured on this agent
 * @param accelerators    the accelerator devices the market gave the lease: PCI addresses to pass through,
 *                        or {@code #n} for devices of a server listed without addresses; empty for none
 */
public record LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                              Instant end, Integer cpuQuotaPercent, long egressMbps, boolean suspended,
                              Instant preemptedAt, CatalogueImage image, List<String> accelerators) {

    public LeaseAssignment {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
    }

    /** An assignment holding no accelerators. */
    public LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                           Instant end, Integer cpuQuotaPercent, long egressMbps, boolean suspended,
                           Instant preemptedAt, CatalogueImage image) {
        this(lease, state, vcpus, memoryMib, diskGib, start, end, cpuQuotaPercent, egressMbps, suspended, preemptedAt,
                image, List.of());
    }

    /** An assignment with no limits, suspension or pre-emption: what a market without them sends. */
    public LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                           Instant end) {
        this(lease, state, vcpus, memoryMib, diskGib, start, end, null, 0, false, null, null);
    }
}
