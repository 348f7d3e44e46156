package org.xenomarket.market.lease.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.lease.LeaseState;

/** A lease entered a state: matched (PENDING), STARTING, RUNNING, ENDING, ENDED, PREEMPTED or FAILED. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseEvent(UUID leaseId, LeaseState state, UUID sponsorId, UUID providerId, UUID serverId,
                         String reason, Instant at) {
}
