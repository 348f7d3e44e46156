package org.xenomarket.market.lease.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.xenomarket.pricing.ServiceClass;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;

/** Stored leases, seen from the sponsor's side or from the provider's. */
@ApplicationScoped
public class LeaseRepository implements PanacheRepositoryBase<Lease, UUID> {

    public Uni<List<Lease>> pageOfSponsor(UUID sponsorId, UUID after, int limit) {
        return pageWhere("sponsorId", sponsorId, after, limit);
    }

    public Uni<List<Lease>> pageOfProvider(UUID providerId, UUID after, int limit) {
        return pageWhere("providerId", providerId, after, limit);
    }

    public Uni<Lease> findVisibleTo(UUID id, UUID accountId) {
        return find("id = ?1 and (sponsorId = ?2 or providerId = ?2)", id, accountId).firstResult();
    }

    public Uni<List<Lease>> findByBids(List<UUID> bidIds) {
        return bidIds.isEmpty() ? Uni.createFrom().item(List.of()) : list("bidId in ?1", bidIds);
    }

    public Uni<Lease> findByBid(UUID bidId) {
        return find("bidId", bidId).firstResult();
    }

    /** The leases of a server in one of the states, oldest first: what its node agent must run. */
    public Uni<List<Lease>> onServerInStates(UUID serverId, Collection<LeaseState> states) {
        return list("serverId = ?1 and state in ?2", Sort.by("id"), serverId, states);
    }

    /** The leases among {@code ids} in the state, oldest first. */
    public Uni<List<Lease>> inState(Collection<UUID> ids, LeaseState state) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1 and state = ?2", Sort.by("id"), ids, state);
    }

    /** The lease if it is on that server; null otherwise, so a node never sees another server's lease. */
    public Uni<Lease> findOnServer(UUID id, UUID serverId) {
        return find("id = ?1 and serverId = ?2", id, serverId).firstResult();
    }

    /** Fails every lease of the server that is in one of the states, as the server's fault; returns how many. */
    public Uni<Integer> failOnServer(UUID serverId, Collection<LeaseState> states, String reason, Instant at) {
        return update("state = ?1, stateReason = ?2, failedAt = ?3, failureCause = ?4 where serverId = ?5 and state in ?6",
                LeaseState.FAILED, reason, at, FailureCause.HOST, serverId, states);
    }

    /**
     * Best-effort leases on the servers, not pre-empted and not over, that still hold capacity after
     * {@code after} and begin before {@code before}: what reserved demand may pre-empt there.
     */
    public Uni<List<Lease>> preemptibleOn(Collection<UUID> serverIds, Instant after, Instant before,
                                          Collection<LeaseState> states) {
        if (serverIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("serverId in ?1 and serviceClass = ?2 and preemptedAt is null and state in ?3"
                        + " and endAt > ?4 and startAt < ?5", Sort.by("id"),
                serverIds, ServiceClass.BEST_EFFORT, states, after, before);
    }

    /** The leases, locked against concurrent change until the transaction ends. */
    public Uni<List<Lease>> lockAll(Collection<UUID> ids) {
        return find("id in ?1", Sort.by("id"), ids).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    private Uni<List<Lease>> pageWhere(String owner, UUID accountId, UUID after, int limit) {
        return (after == null
                ? find(owner + " = ?1", Sort.by("id"), accountId)
                : find(owner + " = ?1 and id > ?2", Sort.by("id"), accountId, after))
                .page(Page.ofSize(limit)).list();
    }
}
