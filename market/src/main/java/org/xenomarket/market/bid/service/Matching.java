package org.xenomarket.market.bid.service;

import io.smallrye.mutiny.Uni;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.MatchOutcome;

/**
 * What placing a bid asks of the market once the bid is stored: match a reserved bid now, or tell a
 * best-effort bid it waits for the next clearing round. Clearing implements it, so that `bid` does
 * not depend on `clearing` (which reads bids) and the two packages form no cycle.
 */
public interface Matching {

    /** Tries to turn the stored, open, reserved bid into a lease; records the reason on the bid either way. */
    Uni<MatchOutcome> match(Bid bid);

    /** Records on the stored best-effort bid that it waits for the next round, with the price it would pay now. */
    Uni<MatchOutcome> awaitRound(Bid bid);
}
