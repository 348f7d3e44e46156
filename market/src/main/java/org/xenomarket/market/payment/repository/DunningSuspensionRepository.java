package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Leases held for an unpaid invoice, and the sponsor's leases that could be held. */
@ApplicationScoped
public class DunningSuspensionRepository {

    /** The sponsor's leases that run or will run and are not suspended: what an unpaid invoice stops. */
    public Uni<List<UUID>> runnableLeasesOf(UUID sponsorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT id FROM lease
                        WHERE sponsor_id = :sponsor AND state IN ('PENDING', 'STARTING', 'RUNNING')
                          AND suspended_at IS NULL
                        ORDER BY id""", UUID.class)
                .setParameter("sponsor", sponsorId)
                .getResultList());
    }

    public Uni<Integer> record(UUID leaseId, UUID sponsorId, UUID invoiceId, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO dunning_suspension (lease_id, sponsor_id, invoice_id, suspended_at)
                        VALUES (:lease, :sponsor, :invoice, :at) ON CONFLICT (lease_id) DO NOTHING""")
                .setParameter("lease", leaseId)
                .setParameter("sponsor", sponsorId)
                .setParameter("invoice", invoiceId)
                .setParameter("at", at)
                .executeUpdate());
    }

    /** The leases held for the sponsor's unpaid invoices. */
    public Uni<List<UUID>> heldLeasesOf(UUID sponsorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT lease_id FROM dunning_suspension WHERE sponsor_id = :sponsor ORDER BY lease_id", UUID.class)
                .setParameter("sponsor", sponsorId)
                .getResultList());
    }

    public Uni<Integer> release(UUID leaseId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "DELETE FROM dunning_suspension WHERE lease_id = :lease")
                .setParameter("lease", leaseId)
                .executeUpdate());
    }
}
