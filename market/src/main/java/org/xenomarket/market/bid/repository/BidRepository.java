package org.xenomarket.market.bid.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidState;

/** Stored bids. */
@ApplicationScoped
public class BidRepository implements PanacheRepositoryBase<Bid, UUID> {

    public Uni<Bid> findOfSponsor(UUID id, UUID sponsorId) {
        return find("id = ?1 and sponsorId = ?2", id, sponsorId).firstResult();
    }

    public Uni<Bid> findByIdempotencyKey(UUID sponsorId, String key) {
        return find("sponsorId = ?1 and idempotencyKey = ?2", sponsorId, key).firstResult();
    }

    public Uni<List<Bid>> pageOfSponsor(UUID sponsorId, UUID after, int limit) {
        return (after == null
                ? find("sponsorId = ?1", Sort.by("id"), sponsorId)
                : find("sponsorId = ?1 and id > ?2", Sort.by("id"), sponsorId, after))
                .page(Page.ofSize(limit)).list();
    }

    public Uni<Integer> markMatched(UUID id, String reason) {
        return update("state = ?1, stateReason = ?2 where id = ?3 and state = ?4",
                BidState.MATCHED, reason, id, BidState.OPEN);
    }

    /*
     * markMatched for many bids in one statement; the bids and their reasons come as two arrays.
     * Only bids still OPEN change, so a count below the array's size means some bid left meanwhile.
     */
    private static final String MARK_ALL_MATCHED = """
            UPDATE bid SET state = 'MATCHED', state_reason = m.reason
            FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[])) AS m(id, reason)
            WHERE bid.id = m.id AND bid.state = 'OPEN'
            """;

    /** Marks each bid of {@code reasons} MATCHED with its reason if it is still OPEN; returns how many were. */
    public Uni<Integer> markAllMatched(Map<UUID, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return getSession().chain(session -> session.createNativeQuery(MARK_ALL_MATCHED)
                .setParameter("ids", reasons.keySet().toArray(UUID[]::new))
                .setParameter("reasons", reasons.values().toArray(String[]::new))
                .executeUpdate());
    }

    private static final String EXPLAIN_ALL_OPEN = """
            UPDATE bid SET state_reason = m.reason
            FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[])) AS m(id, reason)
            WHERE bid.id = m.id AND bid.state = 'OPEN'
            """;

    /** explainOpen for many bids in one statement: each bid of {@code reasons} still OPEN gets its reason. */
    public Uni<Integer> explainAllOpen(Map<UUID, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return getSession().chain(session -> session.createNativeQuery(EXPLAIN_ALL_OPEN)
                .setParameter("ids", reasons.keySet().toArray(UUID[]::new))
                .setParameter("reasons", reasons.values().toArray(String[]::new))
                .executeUpdate());
    }

    public Uni<Integer> explainOpen(UUID id, String reason) {
        return update("stateReason = ?1 where id = ?2 and state = ?3", reason, id, BidState.OPEN);
    }

    /** Cancels the sponsor's bid if it is still open; 0 when it is not (matched, closed or not theirs). */
    public Uni<Integer> cancelOpen(UUID id, UUID sponsorId, String reason, Instant at) {
        return update("state = ?1, stateReason = ?2, closedAt = ?3 where id = ?4 and sponsorId = ?5 and state = ?6",
                BidState.CANCELLED, reason, at, id, sponsorId, BidState.OPEN);
    }

    /** Marks every open bid whose expiry has come EXPIRED; returns how many. */
    public Uni<Integer> expireDue(Instant now) {
        return update("state = ?1, stateReason = ?2, closedAt = ?3 where state = ?4 and expiresAt <= ?3",
                BidState.EXPIRED, "Expired: no server could be matched before the bid's expiry.", now, BidState.OPEN);
    }

    /** The bids with these ids, in no particular order. */
    public Uni<List<Bid>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
