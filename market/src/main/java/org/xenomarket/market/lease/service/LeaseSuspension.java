package org.xenomarket.market.lease.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.LeaseTransitions;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.NotFound;

/**
 * Suspending and resuming a lease's guest, by its sponsor or an operator. The market only sets
 * the flag; the node agent hears of it on its event stream (a trigger announces the change) and
 * freezes or thaws the guest. Repeating either is harmless. The lease's window and price do not
 * change: a suspended reserved lease still holds its capacity.
 */
@ApplicationScoped
public class LeaseSuspension {

    private static final Logger LOG = Logger.getLogger(LeaseSuspension.class);

    private final LeaseRepository leases;
    private final AuditLog audit;
    private final Clock clock;

    public LeaseSuspension(LeaseRepository leases, AuditLog audit, Clock clock) {
        this.leases = leases;
        this.audit = audit;
        this.clock = clock;
    }

    /** A sponsor may suspend only its own leases (another's is not found); an operator any. */
    @WithTransaction
    public Uni<Lease> suspend(Actor actor, UUID leaseId) {
        return change(actor, leaseId, true);
    }

    @WithTransaction
    public Uni<Lease> resume(Actor actor, UUID leaseId) {
        return change(actor, leaseId, false);
    }

    private Uni<Lease> change(Actor actor, UUID leaseId, boolean suspend) {
        UUID sponsorId = actor.is(Role.SPONSOR) ? actor.accountId() : null;
        Instant now = clock.instant();
        return leases.findById(leaseId)
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> {
                    if (sponsorId != null && !sponsorId.equals(lease.sponsorId)) {
                        throw new NotFound("lease", leaseId);
                    }
                    if (!LeaseTransitions.ACTIVE.contains(lease.state) || lease.state == LeaseState.ENDING) {
                        throw new Conflict("state", "lease " + leaseId + " is " + lease.state
                                + "; only a lease that is pending, starting or running can be "
                                + (suspend ? "suspended" : "resumed"));
                    }
                    if ((lease.suspendedAt != null) == suspend) {
                        return Uni.createFrom().item(lease);
                    }
                    String before = lease.suspendedAt == null ? "running" : "suspended since " + lease.suspendedAt;
                    lease.suspendedAt = suspend ? now : null;
                    LOG.infof("Lease %s %s by %s", leaseId, suspend ? "suspended" : "resumed", actor.role());
                    return audit.record(actor, suspend ? "lease.suspended" : "lease.resumed", "lease", leaseId.toString(),
                            before, suspend ? "suspended since " + now : "running", null).replaceWith(lease);
                });
    }
}
