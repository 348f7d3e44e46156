package org.xenomarket.market.clearing.round;

import java.util.Arrays;

/**
 * The repair, displacing and refilling passes' state across all groups of a round: moves, displacing
 * and refilling work left in the round's budgets, and the sequence numbers and order of the placements they make. Used
 * from one thread, in the round's order.
 */
final class RoundRepairs {

    private int movesLeft;
    private long workLeft;
    private long refillingWorkLeft;
    private long nextSequence;
    private int[] placed = new int[16];
    private int placedCount;

    /**
     * @param work          the displacing passes' budget: a unit per server looked at, more per search for
     *                      a displaced bid's new server (see {@link GroupDisplacing})
     * @param refillingWork the refilling passes' budget: a unit per candidate looked at, more per exact price
     *                      and per search for a taken bid's new server (see {@link GroupRefilling})
     * @param firstSequence after every sequence number the placing phase gave (the round's bid count)
     */
    RoundRepairs(int moves, long work, long refillingWork, long firstSequence) {
        this.movesLeft = moves;
        this.workLeft = work;
        this.refillingWorkLeft = refillingWork;
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

    /** Whether the round's displacing budget has work left. */
    boolean anyWorkLeft() {
        return workLeft > 0;
    }

    /** Spends displacing work. */
    void spendWork(int units) {
        workLeft -= units;
    }

    /** Whether the round's refilling budget has work left. */
    boolean anyRefillingWorkLeft() {
        return refillingWorkLeft > 0;
    }

    /** Spends refilling work. */
    void spendRefillingWork(int units) {
        refillingWorkLeft -= units;
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
