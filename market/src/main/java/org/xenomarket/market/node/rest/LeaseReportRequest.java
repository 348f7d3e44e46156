package org.xenomarket.market.node.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.LeaseState;

/**
 * A node reports that a lease's guest moved to a state; a reason is required for FAILED, and a
 * cause may say whose fault it was (absent: HOST, what agents that predate causes mean).
 */
public record LeaseReportRequest(@NotNull LeaseState state, @Size(max = 1000) String reason, FailureCause cause) {

    public LeaseReportRequest(LeaseState state, String reason) {
        this(state, reason, null);
    }
}
