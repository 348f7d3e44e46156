package org.xenomarket.vmm.agent;

import java.time.Instant;
import org.xenomarket.vmm.hypervisor.LeaseId;

/** A lease the market says this node must run or wind down, with the guest's caps. */
public record LeaseAssignment(LeaseId lease, String state, int vcpus, long memoryMib, long diskGib, Instant start,
                              Instant end) {
}
