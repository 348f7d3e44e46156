package org.xenomarket.market.bid.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.xenomarket.market.audit.repository.AuditStatements;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.database.GroupCommit;
import org.xenomarket.market.spending.service.SpendingLimits;

/**
 * Stores new bids with group commit ({@link GroupCommit}): bids that arrive while a batch is being written
 * wait and are written together as the next batch, in one transaction (the sponsors' limit rows locked once,
 * the bids and their audit events sent in one round trip each, one commit). There is no timer: a bid that
 * arrives when nothing is being written is written at once, alone. Each bid gets its own outcome: one that
 * passes its sponsor's spending limit is refused alone (the others are stored), and if the batch's
 * transaction fails (a duplicate Idempotency-Key, say) it is rolled back and every bid of it is written
 * again on its own, so a bad bid fails only itself.
 */
@ApplicationScoped
public class BidIntake {

    /** Bids per transaction at most: bounds one batch's statements and how long its lock on a sponsor is held. */
    static final int MAX_BATCH = 64;

    private final Pool pool;
    private final BidRepository bids;
    private final SpendingLimits spendingLimits;
    private final AuditStatements audit;
    private final Clock clock;
    /** Each bid's outcome: null when stored, else why not. */
    private final GroupCommit<Bid, Throwable> batches = new GroupCommit<>(MAX_BATCH, this::write);

    public BidIntake(Pool pool, BidRepository bids, SpendingLimits spendingLimits, AuditStatements audit, Clock clock) {
        this.pool = pool;
        this.bids = bids;
        this.spendingLimits = spendingLimits;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores the new, valid bid OPEN with its audit event, checked against its sponsor's spending limit
     * (fails with {@code SpendingLimitExceeded} if it does not fit, with the database's error if it cannot be
     * written). Answers on the caller's Vert.x context, where its request's session continues.
     */
    public Uni<Void> store(Bid bid) {
        return batches.submit(bid).chain(GroupCommit::doneOrFailed);
    }

    /** A batch: together in one transaction, or if that fails, each bid on its own. Never a failed Uni. */
    private Uni<List<Throwable>> write(List<Bid> all) {
        return GroupCommit.togetherOrEachAlone(all, this::together, this::alone);
    }

    /** One bid in its own transaction: null when stored, else why not (never a failed Uni). */
    private Uni<Throwable> alone(Bid bid) {
        return together(List.of(bid)).map(failures -> failures.get(0)).onFailure().recoverWithItem(failure -> failure);
    }

    /**
     * The bids in one transaction: per bid in order, null when stored or its spending-limit refusal (then it
     * is not stored). Fails, rolling back all of them, if any statement fails.
     */
    private Uni<List<Throwable>> together(List<Bid> all) {
        List<SpendingLimits.Ask> asks = all.stream().map(b -> new SpendingLimits.Ask(b.sponsorId, b.currency,
                b.maxPricePerHour, b.durationHours)).toList();
        return pool.withTransaction(tx -> spendingLimits.checkAll(tx, asks).chain(refusals -> {
            List<Bid> fitting = new ArrayList<>();
            List<AuditStatements.Event> events = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (refusals.get(i) == null) {
                    Bid bid = all.get(i);
                    fitting.add(bid);
                    events.add(new AuditStatements.Event(bid.placedBy, "bid.placed", "bid", bid.id.toString(), "OPEN",
                            BidAuditText.of(bid)));
                }
            }
            Uni<Void> written = fitting.isEmpty() ? Uni.createFrom().voidItem()
                    : bids.insertAll(tx, fitting).chain(() -> audit.recordAll(tx, events, clock.instant()));
            // null for each stored bid: List.copyOf would refuse those
            return written.replaceWith(new ArrayList<Throwable>(refusals));
        }));
    }
}
