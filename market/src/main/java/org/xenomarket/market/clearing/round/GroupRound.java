package org.xenomarket.market.clearing.round;

import java.util.List;

/**
 * The matching of one group of a round (see {@link RoundGroups}): its servers and its bids, which
 * reach no server outside it. Three phases over one {@link GroupState}: {@link GroupPlacing} places the
 * bids, higher value first, each on the cheapest server in reach with room ({@link CheapestServer});
 * {@link GroupRepair} repairs a bid left open for want of room by moving one bid out of its way;
 * {@link GroupDisplacing} gives a bid still open a server by displacing bids of lower priority, when
 * that raises the welfare; {@link GroupSettling} settles prices. {@link ClearingRound} drives the phases and merges the groups'
 * outcomes.
 *
 * <p>Nothing here is shared with another group (servers, price sheets, scratch), so groups are placed
 * on different threads at once; the repair pass, which spends a budget of the whole round
 * ({@link RoundRepairs}), is driven in the round's order from one thread.
 */
final class GroupRound {

    private final GroupState state;
    private final GroupPlacing placing;
    private final GroupRepair repair;
    private final GroupDisplacing displacing;
    private final GroupRefilling refilling;
    private final GroupSettling settling;

    /**
     * @param given      the group's servers, in an order the whole round's numbering keeps (so ties between
     *                   servers break as they would in one group of everything)
     * @param roundOrder the whole round's bids in priority order; {@code bids} index into it, ascending
     * @param sizeWeights what a bid's size weighs each resource by in the refilling passes ({@link ClearingRound#sizeWeights})
     * @param prune      whether scans skip sites and servers by their bounds; off only for the reference
     *                   scan tests compare with
     */
    GroupRound(List<RoundServer> given, RoundBid[] roundOrder, int[] bids, double[] sizeWeights, boolean prune) {
        this.state = new GroupState(given, roundOrder, bids);
        CheapestServer cheapest = new CheapestServer(state, prune);
        this.placing = new GroupPlacing(state, cheapest);
        this.repair = new GroupRepair(state, cheapest);
        this.displacing = new GroupDisplacing(state, cheapest);
        this.refilling = new GroupRefilling(state, cheapest, sizeWeights);
        this.settling = new GroupSettling(state);
    }

    /** How many bids the group holds: what the round balances its threads by. */
    int bidCount() {
        return state.bidCount();
    }

    /** Places every bid of the group in the round's order (see {@link GroupPlacing#placeAll}). */
    void placeAll() {
        placing.placeAll();
    }

    /** Whether the bid (a group index) was left open because every server in its reach was full. */
    boolean leftOpenForRoom(int b) {
        return state.leftOpenForRoom(b);
    }

    /** Gives the open bid (a group index) its repair attempt (see {@link GroupRepair#repair}). */
    void repair(int u, RoundRepairs repairs) {
        repair.repair(u, repairs);
    }

    /** Whether the bid (a group index) is open for want of room or above its max: what displacing may help. */
    boolean openForRoomOrPrice(int b) {
        return state.openForRoomOrPrice(b);
    }

    /** Gives the open bid (a group index) a displacing attempt (see {@link GroupDisplacing#displace}). */
    boolean displace(int u, RoundRepairs repairs) {
        return displacing.displace(u, repairs);
    }

    /** Lists the group's open bids for a refilling pass (see {@link GroupRefilling#startPass}). */
    void startRefilling() {
        refilling.startPass();
    }

    /** Whether the bid (a group index) is placed: what a refilling pass may take off its server. */
    boolean placed(int b) {
        return refilling.placed(b);
    }

    /** Gives the placed bid (a group index) a refilling attempt (see {@link GroupRefilling#refill}). */
    boolean refill(int x, RoundRepairs repairs) {
        return refilling.refill(x, repairs);
    }

    /** Settles the prices of the servers the repair pass moved a bid away from (see {@link GroupSettling}). */
    void settlePrices() {
        settling.settlePrices();
    }

    /** Writes the group's decisions into the round's arrays (see {@link GroupState#report}). */
    void report(Assignment[] assignments, long[] sequences, Unmatched[] unmatched) {
        state.report(assignments, sequences, unmatched);
    }
}
