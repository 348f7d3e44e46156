package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.node.LeaseReport;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;

/**
 * Lease reports: a node says a lease's guest moved to a state (or failed, and whose fault that
 * was), checked against {@link LeaseTransitions}; a failure gives the lease's capacity back.
 */
@ApplicationScoped
public class LeaseReports {

    private static final Logger LOG = Logger.getLogger(LeaseReports.class);

    private final LeaseRepository leases;
    private final BidRepository bids;
    private final CapacityRepository capacity;
    private final Clock clock;
    private final AuditLog audit;
    private final AcceleratorRepository accelerators;

    public LeaseReports(LeaseRepository leases, BidRepository bids, CapacityRepository capacity, Clock clock,
                        AuditLog audit, AcceleratorRepository accelerators) {
        this.accelerators = accelerators;
        this.leases = leases;
        this.bids = bids;
        this.capacity = capacity;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Applies a lease state the node reports; a lease of another server is not found. Every change
     * a report makes is audited in its transaction: {@code lease.failed} for a failure report (with
     * its reason and cause), {@code lease.state-reported} for the others.
     */
    @WithTransaction
    public Uni<Lease> report(Actor node, UUID serverId, UUID leaseId, LeaseReport request) {
        LeaseState to = request.state();
        String reason = checkedReason(request);
        Instant now = clock.instant();
        return leases.findOnServer(leaseId, serverId)
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> {
                    LeaseState reached = LeaseTransitions.reached(lease, to);
                    if (lease.state == reached) {
                        return Uni.createFrom().item(lease);
                    }
                    if (!LeaseTransitions.allowed(lease, to)) {
                        throw new Conflict("state", "lease " + lease.id + " is " + lease.state + "; it cannot become " + to);
                    }
                    LeaseState before = lease.state;
                    if (to != LeaseState.FAILED) {
                        Lease applied = apply(lease, reached, reason, null, now, serverId);
                        return audit.record(node, "lease.state-reported", "lease", lease.id.toString(),
                                before.name(), reached.name(), reason).replaceWith(applied);
                    }
                    // A failed guest's capacity is given back in the same transaction as the failure.
                    CapacityWindow giveBack = LeaseTransitions.releasedOnFailure(lease, now);
                    return failureCause(lease, request.cause())
                            .call(cause -> giveBack == null ? Uni.createFrom().item(0)
                                    : capacity.release(lease.serverId, lease.resources.toVector(), giveBack))
                            .call(cause -> giveBack == null || lease.acceleratorModel == null ? Uni.createFrom().item(0)
                                    : accelerators.release(lease.id, giveBack.firstBucket()))
                            .map(cause -> apply(lease, reached, reason, cause, now, serverId))
                            .call(failed -> audit.record(node, "lease.failed", "lease", failed.id.toString(),
                                    before.name(), reached.name(), "cause " + failed.failureCause + ": " + reason));
                });
    }

    /**
     * The report's reason, trimmed (null when blank), once the report is one a node may send: a
     * state a node reports, a reason with FAILED, a cause only with FAILED.
     */
    static String checkedReason(LeaseReport request) {
        LeaseState to = request.state();
        if (!LeaseTransitions.REPORTABLE.contains(to)) {
            throw new InvalidInput("state", "a node reports STARTING, RUNNING, ENDING, ENDED or FAILED");
        }
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
        if (to == LeaseState.FAILED && reason == null) {
            throw new InvalidInput("reason", "say why the lease failed; its sponsor sees it");
        }
        if (request.cause() != null && to != LeaseState.FAILED) {
            throw new InvalidInput("cause", "only a FAILED report says whose fault the failure was");
        }
        return reason;
    }

    /**
     * The cause a failure is stored with. The node's word that the sponsor's image was at fault is
     * taken only where it can be true: the lease boots a catalogue image its bid named, and its
     * guest never ran (an image fails before the boot). Anything else is the server's failure.
     */
    private Uni<FailureCause> failureCause(Lease lease, FailureCause reported) {
        if (reported != FailureCause.IMAGE) {
            return Uni.createFrom().item(FailureCause.HOST);
        }
        if (lease.state != LeaseState.PENDING && lease.state != LeaseState.STARTING) {
            throw new Conflict("cause", "lease " + lease.id + " is " + lease.state
                    + ": its guest already booted, so its image did not fail it");
        }
        return bids.findById(lease.bidId).map(bid -> {
            if (bid == null || bid.imageId == null) {
                throw new Conflict("cause", "lease " + lease.id + " boots its server's own image, not a catalogue"
                        + " image: a failure of that image is the server's (cause HOST)");
            }
            return FailureCause.IMAGE;
        });
    }

    static Lease apply(Lease lease, LeaseState to, String reason, FailureCause cause, Instant now, UUID serverId) {
        LOG.infof("Lease %s on server %s: %s -> %s%s%s", lease.id, serverId, lease.state, to,
                reason == null ? "" : " (" + reason + ")", cause == null ? "" : " [" + cause + "]");
        lease.state = to;
        lease.failureCause = cause;
        // A pre-empted lease keeps the pre-emption as its reason unless the node says more.
        lease.stateReason = to == LeaseState.PREEMPTED && reason == null ? lease.stateReason : reason;
        switch (to) {
            case RUNNING -> lease.runningAt = lease.runningAt == null ? now : lease.runningAt;
            case FAILED -> lease.failedAt = now;
            case ENDED, PREEMPTED -> lease.endedAt = now;
            default -> {
            }
        }
        return lease;
    }
}
