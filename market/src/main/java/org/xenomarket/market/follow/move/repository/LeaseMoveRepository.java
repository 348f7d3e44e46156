package org.xenomarket.market.follow.move.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.follow.move.LeaseMove;
import org.xenomarket.market.follow.move.MoveState;

/** The moves of leases, oldest first. */
@ApplicationScoped
public class LeaseMoveRepository implements PanacheRepositoryBase<LeaseMove, UUID> {

    public Uni<List<LeaseMove>> ofLease(UUID leaseId) {
        return list("leaseId", Sort.by("id"), leaseId);
    }

    /** The lease's move not yet over, if any (at most one: the partial unique index). */
    public Uni<LeaseMove> unfinishedOf(UUID leaseId) {
        return find("leaseId = ?1 and state in ?2", leaseId, MoveState.UNFINISHED).firstResult();
    }

    /** Unfinished moves a server takes part in, from it or to it. */
    public Uni<List<LeaseMove>> unfinishedInvolving(UUID serverId) {
        return list("(fromServerId = ?1 or toServerId = ?1) and state in ?2", Sort.by("id"), serverId,
                MoveState.UNFINISHED);
    }

    /**
     * Up to {@code limit} unfinished moves whose last step (the save, else the booking) was at or before
     * {@code stepBefore}, the oldest booked first.
     */
    public Uni<List<UUID>> unfinishedStepBefore(java.time.Instant stepBefore, int limit) {
        return find("state in ?1 and coalesce(savedAt, bookedAt) <= ?2", Sort.by("bookedAt").and("id"),
                MoveState.UNFINISHED, stepBefore)
                .page(0, limit).list().map(found -> found.stream().map(move -> move.id).toList());
    }

    public Uni<LeaseMove> locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
