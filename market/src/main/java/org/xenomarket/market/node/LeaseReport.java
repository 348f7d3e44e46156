package org.xenomarket.market.node;

import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.LeaseState;

/**
 * A node reports that a lease's guest moved to a state, why (required for FAILED), and for a
 * failure whose fault it was (null: HOST, what agents that predate causes mean).
 */
public record LeaseReport(LeaseState state, String reason, FailureCause cause) {
}
