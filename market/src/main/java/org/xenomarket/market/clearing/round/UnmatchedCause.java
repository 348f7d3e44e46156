package org.xenomarket.market.clearing.round;

/** Why a round left a bid open. */
public enum UnmatchedCause {
    /** No server within the placement (and at least as reliable as the bid asks) is big enough for the bid, even empty. */
    NONE_IN_REACH,
    /** Servers within reach are big enough, but none has the room left in this round. */
    ALL_FULL,
    /** The cheapest server with room costs more than the bid's max price. */
    ABOVE_MAX
}
