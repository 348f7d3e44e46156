package org.xenomarket.market.node.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;

/**
 * A lease as its node agent needs it: the guest's caps and the window it may run in; when it was
 * pre-empted, {@code preemptedAt} is set and {@code end} is the end of the notice, so the agent can
 * warn the guest and stop it by then.
 */
public record LeaseAssignmentView(UUID id, LeaseState state, ResourcesJson resources, Instant start, Instant end,
                                  String stateReason, Instant preemptedAt) {

    public static LeaseAssignmentView of(Lease lease) {
        return new LeaseAssignmentView(lease.id, lease.state, ResourcesJson.of(lease.resources.toVector()),
                lease.startAt, lease.endAt, lease.stateReason, lease.preemptedAt);
    }
}
