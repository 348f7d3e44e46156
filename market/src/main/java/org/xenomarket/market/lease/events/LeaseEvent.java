package org.xenomarket.market.lease.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.lease.LeaseState;

/**
 * A lease entered a state (kind "state": matched (PENDING), STARTING, RUNNING, ENDING, ENDED,
 * PREEMPTED or FAILED), or a best-effort lease was given notice of pre-emption (kind
 * "preempt-notice": {@code preemptedAt} is set, its guest must stop by {@code end}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseEvent(UUID leaseId, LeaseState state, UUID sponsorId, UUID providerId, UUID serverId,
                         String reason, Instant at, String kind, Instant end, Instant preemptedAt) {

    public static final String PREEMPT_NOTICE = "preempt-notice";
}
