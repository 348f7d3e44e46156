package org.xenomarket.market.lease.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Role;

/** Leases as sponsors and providers see them. */
@ApplicationScoped
public class LeaseService {

    private final LeaseRepository leases;

    public LeaseService(LeaseRepository leases) {
        this.leases = leases;
    }

    /** A sponsor's own leases, or the leases on a provider's servers. */
    @WithSession
    public Uni<List<Lease>> page(UUID accountId, Role role, Cursor cursor) {
        return role == Role.PROVIDER
                ? leases.pageOfProvider(accountId, cursor.after(), cursor.limit())
                : leases.pageOfSponsor(accountId, cursor.after(), cursor.limit());
    }

    @WithSession
    public Uni<Lease> get(UUID accountId, UUID leaseId) {
        return leases.findVisibleTo(leaseId, accountId)
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId));
    }
}
