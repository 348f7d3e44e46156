package org.xenomarket.market.follow.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.follow.FollowPoint;

/** The follow points of leases, one per lease. */
@ApplicationScoped
public class FollowPointRepository implements PanacheRepositoryBase<FollowPoint, UUID> {

    public Uni<FollowPoint> ofLease(UUID leaseId) {
        return findById(leaseId);
    }
}
