package org.xenomarket.market.follow.move;

import java.util.EnumSet;
import java.util.Set;

/**
 * The steps of a lease's move: BOOKED (the new server's capacity and quote are taken; the old node is
 * to save the guest), SAVED (the guest's files are in the market; the new node is to restore them),
 * RESTORED (the new node runs the guest), DONE (the lease is on the new server and the old server's
 * remaining hours are given back), or FAILED with a reason (the new server's hours are given back).
 */
public enum MoveState {
    BOOKED,
    SAVED,
    RESTORED,
    DONE,
    FAILED;

    /** The steps of a move not yet over; a lease has at most one move in these. */
    public static final Set<MoveState> UNFINISHED = EnumSet.of(BOOKED, SAVED, RESTORED);
}
