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
 * @param move            this node's step in the lease's move to another server; null when it is not moving
 */
public record LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                              Instant end, Integer cpuQuotaPercent, long egressMbps, boolean suspended,
                              Instant preemptedAt, CatalogueImage image, List<String> accelerators, Move move) {

    /**
     * A step of a move: SAVE the guest here and upload it, keep AWAY from it (saved, on its way), or
     * RESTORE it here from the market's copy of {@code files}.
     */
    public record Move(String id, String action, List<MoveFile> files) {

        public Move {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** One file of a saved guest as the market holds it. */
    public record MoveFile(String name, String sha256, long sizeBytes) {
    }

    public LeaseAssignment {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
    }

    /** An assignment that is not moving. */
    public LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                           Instant end, Integer cpuQuotaPercent, long egressMbps, boolean suspended,
                           Instant preemptedAt, CatalogueImage image, List<String> accelerators) {
        this(lease, state, vcpus, memoryMib, diskGib, start, end, cpuQuotaPercent, egressMbps, suspended, preemptedAt,
                image, accelerators, null);
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
