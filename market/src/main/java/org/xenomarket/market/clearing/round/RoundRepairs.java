package org.xenomarket.market.clearing.round;

import java.util.Arrays;

/**
 * The repair pass's state across all groups of a round: moves left in the round's budget, and the
 * sequence numbers and order of the placements it makes. Used from one thread, in the round's order.
 */
final class RoundRepairs {

    private int movesLeft;
    private long nextSequence;
    private int[] placed = new int[16];
    private int placedCount;

    /** @param firstSequence after every sequence number the placing phase gave (the round's bid count) */
    RoundRepairs(int moves, long firstSequence) {
        this.movesLeft = moves;
        this.nextSequence = firstSequence;
    }

    /** Whether the round's budget has a move left. */
    boolean anyMoveLeft() {
        return movesLeft > 0;
    }

    /** Spends one move of the budget. */
    void spendMove() {
        movesLeft--;
    }

    /** The sequence number of a placement the repair pass makes, which it records by round index. */
    long placing(int roundIndex) {
        if (placedCount == placed.length) {
            placed = Arrays.copyOf(placed, placedCount * 2);
        }
        placed[placedCount++] = roundIndex;
        return nextSequence++;
    }

    /** Round indices of the bids the repair pass placed, in the order it placed them (a bid moved twice: twice). */
    int[] placedInOrder() {
        return Arrays.copyOf(placed, placedCount);
    }
}
