package org.xenomarket.market.bid.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
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

    /*
     * A new bid's row, written as a plain statement instead of an entity persist:
     * Hibernate's insert coordinator, flush and dirty checking of the managed bid were 18 of the bid phase's
     * 219 samples in the fourth pass's profile, for a row nothing in the request changes afterwards.
     */
    private static final String INSERT = """
            INSERT INTO bid (id, sponsor_id, idempotency_key, request_fingerprint, service_class, vcpus, memory_mib,
                             disk_gib, near_latitude, near_longitude, within_km, regions, start_at, latest_start_at,
                             expires_at, closed_at, duration_hours, currency, max_price_per_hour, state, state_reason,
                             created_at, min_reliability, image_id, client_places, accelerator_model, accelerator_count)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                    $22, $23, $24, $25, $26, $27)
            """;

    /**
     * Stores new bids in the caller's transaction on a plain SQL connection, one prepared statement executed
     * once per bid and sent in one round trip (the batched intake's write, see {@code BidIntake}). A failing row
     * fails the whole call; the caller then stores the bids one by one.
     */
    public Uni<Void> insertAll(SqlConnection tx, List<Bid> all) {
        List<Tuple> rows = all.stream().map(bid -> Tuple.from(new Object[] {bid.id, bid.sponsorId,
                bid.idempotencyKey, Buffer.buffer(bid.requestFingerprint), bid.serviceClass.name(), bid.resources.vcpus,
                bid.resources.memoryMib, bid.resources.diskGib, bid.nearLatitude, bid.nearLongitude, bid.withinKm,
                bid.regions, utc(bid.startAt), utc(bid.latestStartAt), utc(bid.expiresAt), utc(bid.closedAt),
                bid.durationHours, bid.currency, Numeric.create(bid.maxPricePerHour), bid.state.name(),
                bid.stateReason, utc(bid.createdAt), bid.minReliability, bid.imageId, bid.clientPlacesText,
                bid.acceleratorModel, bid.acceleratorCount})).toList();
        return tx.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
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

    /*
     * A bid left open by round after round mostly keeps the reason the last round gave it (no server in
     * reach, all full): rewriting it unchanged would cost a new row version, index entries and WAL each
     * round for nothing a sponsor could see, so only a reason that changed is written.
     */
    private static final String EXPLAIN_ALL_OPEN = """
            UPDATE bid SET state_reason = m.reason
            FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[])) AS m(id, reason)
            WHERE bid.id = m.id AND bid.state = 'OPEN' AND bid.state_reason IS DISTINCT FROM m.reason
            """;

    /**
     * explainOpen for many bids in one statement: each bid of {@code reasons} still OPEN gets its reason;
     * returns how many reasons changed (a bid that already says it, or is no longer open, is not written).
     */
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
