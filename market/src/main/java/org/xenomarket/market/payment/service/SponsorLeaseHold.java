package org.xenomarket.market.payment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.lease.service.LeaseSuspension;
import org.xenomarket.market.payment.repository.DunningSuspensionRepository;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.security.Actor;

/**
 * Stops a sponsor's leases while an invoice stays unpaid after the last dunning retry, and lets them
 * run again once it is paid, through the lease package's own suspension (so the node agents hear of
 * it as they do of any suspension). Only the leases held here are resumed: one the sponsor
 * suspended itself stays suspended. Runs inside the caller's transaction.
 */
@ApplicationScoped
public class SponsorLeaseHold {

    private static final Logger LOG = Logger.getLogger(SponsorLeaseHold.class);
    private static final Actor DUNNING = new Actor(null, "dunning", null, null);

    private final DunningSuspensionRepository holds;
    private final LeaseSuspension suspension;
    private final Clock clock;

    public SponsorLeaseHold(DunningSuspensionRepository holds, LeaseSuspension suspension, Clock clock) {
        this.holds = holds;
        this.suspension = suspension;
        this.clock = clock;
    }

    /** Suspends every runnable lease of the sponsor for the unpaid invoice; returns how many. */
    public Uni<Integer> hold(UUID sponsorId, UUID invoiceId) {
        return holds.runnableLeasesOf(sponsorId).chain(leaseIds -> each(leaseIds, leaseId ->
                suspension.suspend(DUNNING, leaseId)
                        .chain(() -> holds.record(leaseId, sponsorId, invoiceId, clock.instant()))
                        .replaceWithVoid())
                .invoke(() -> {
                    if (!leaseIds.isEmpty()) {
                        LOG.infof("Invoice %s unpaid after the last retry: %d lease(s) of sponsor %s suspended",
                                invoiceId, leaseIds.size(), sponsorId);
                    }
                })
                .replaceWith(leaseIds.size()));
    }

    /** Resumes the leases held for the sponsor's unpaid invoices; returns how many were held. */
    public Uni<Integer> release(UUID sponsorId) {
        return holds.heldLeasesOf(sponsorId).chain(leaseIds -> each(leaseIds, leaseId ->
                suspension.resume(DUNNING, leaseId).replaceWithVoid()
                        // a lease that ended meanwhile cannot be resumed, and need not be
                        .onFailure(ProblemException.class).recoverWithNull()
                        .chain(() -> holds.release(leaseId))
                        .replaceWithVoid())
                .replaceWith(leaseIds.size()));
    }

    /* One after another: a reactive session runs one statement at a time. */
    private static Uni<Void> each(List<UUID> ids, java.util.function.Function<UUID, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID id : ids) {
            chain = chain.chain(() -> step.apply(id));
        }
        return chain;
    }
}
