package org.xenomarket.market.bid.service;

import io.smallrye.mutiny.Uni;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.MatchOutcome;

/**
 * What placing a bid asks of the market: match a reserved bid at once, or tell a best-effort bid it waits for
 * the next clearing round. Clearing implements it, so that `bid` does not depend on `clearing` (which reads bids)
 * and the two packages form no cycle.
 *
 * <p>Matching is prepared before the bid is stored: what it reads needs no stored bid, and when it finds that the
 * bid will be left open (nothing affordable and no pre-emption that could help, or a best-effort bid, which waits
 * for the round) the bid is stored with that reason, one write instead of a store and then an update of its
 * reason. Only a bid matching may place is matched once stored.
 */
public interface Matching {

    /** Reads what matching the new, valid, not yet stored bid needs. */
    Uni<Prepared> prepare(Bid bid);

    /** A bid's matching, prepared before the bid was stored. */
    interface Prepared {

        /** The reason the bid is left open with, to be stored with it; null when matching may place it. */
        String openReason();

        /**
         * Matches the bid, stored since (with {@link #openReason} when there is one, which is then the outcome):
         * a lease, or why none, the reason recorded on the bid either way.
         */
        Uni<MatchOutcome> matchStored();
    }
}
