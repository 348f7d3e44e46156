package org.xenomarket.market.clearing.round;

import java.util.Arrays;
import java.util.List;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * Upper bounds on the welfare any round can reach, from the linear relaxation of the assignment:
 * maximise the sum of value x share over (bid, server) pairs, each bid's shares summing to at most
 * one, each server's vCPU, memory and disk taken by the shares at most what it has free.
 *
 * <p>A pair is in the relaxation only where the bid could ever go on that server: within its reach
 * (with a kilometre's slack for rounding), as reliable as its minimum, and at most its max at the
 * price the server asks with nothing of the round on it but the bid. Congestion pricing only raises
 * that price as a round places bids, so every whole assignment a round can make is a solution of the
 * relaxation, and its optimum bounds the round's welfare from above.
 *
 * <p>Two ways to the bound. {@link #simplex} solves the relaxation with ojalgo, a maintained LP
 * solver: exact, and quick up to a few thousand pairs, but on 1,000 bids x 100 servers (some 40,000
 * pairs) it ran for minutes per instance here. {@link #lagrangian} prices the servers' capacity
 * instead: for any prices p >= 0, the free capacity at p plus each bid's best surplus (value less
 * its resources at the server's prices, or zero) is at least the relaxation's optimum (weak
 * duality), and the least such sum over p is the optimum itself (strong duality). A subgradient
 * descent over p keeps the least sum seen, a valid bound after every step; tests check it against
 * the simplex where both run.
 */
final class LpWelfareBound {

    /** Reach slack: the round compares distances its own way; the bound must never be the stricter one. */
    private static final double SLACK_KM = 1.0;

    private final int bids;
    private final int servers;
    private final double[] value;
    /** Per bid, its demand per resource, scaled so that a typical server's free capacity is 1. */
    private final double[][] demand;
    private final double[][] free;
    /** What one scaled unit of each resource is: the servers' mean free amount of it. */
    private final double[] scale;
    /** Per bid, the servers it could ever go on. */
    private final int[][] pairs;
    /** The prices of the least bound {@link #descend} found: per server, per resource, per scaled unit. */
    private double[][] bestPrice;

    private LpWelfareBound(List<RoundServer> serverList, List<RoundBid> bidList) {
        bids = bidList.size();
        servers = serverList.size();
        free = new double[servers][3];
        scale = new double[3];
        for (int s = 0; s < servers; s++) {
            RoundServer server = serverList.get(s);
            free[s][0] = Math.max(0, server.capacity().vcpus() - server.reserved().vcpus());
            free[s][1] = Math.max(0, server.capacity().memoryMib() - server.reserved().memoryMib());
            free[s][2] = Math.max(0, server.capacity().diskGib() - server.reserved().diskGib());
            for (int r = 0; r < 3; r++) {
                scale[r] += free[s][r] / servers;
            }
        }
        for (int r = 0; r < 3; r++) {
            scale[r] = scale[r] > 0 ? scale[r] : 1;
        }
        for (double[] row : free) {
            for (int r = 0; r < 3; r++) {
                row[r] /= scale[r];
            }
        }
        value = new double[bids];
        demand = new double[bids][3];
        pairs = new int[bids][];
        for (int b = 0; b < bids; b++) {
            RoundBid bid = bidList.get(b);
            value[b] = bid.value();
            demand[b][0] = bid.demand().vcpus() / scale[0];
            demand[b][1] = bid.demand().memoryMib() / scale[1];
            demand[b][2] = bid.demand().diskGib() / scale[2];
            int[] reach = new int[servers];
            int count = 0;
            for (int s = 0; s < servers; s++) {
                if (couldEverGo(bid, serverList.get(s))) {
                    reach[count++] = s;
                }
            }
            pairs[b] = Arrays.copyOf(reach, count);
        }
    }

    /** The relaxation's optimum, solved by ojalgo's simplex, in micro-units (a bound, not money). */
    static double simplex(List<RoundServer> servers, List<RoundBid> bids) {
        Optimisation.Result result = new LpWelfareBound(servers, bids).model(false, 0).maximise();
        if (!result.getState().isOptimal()) {
            throw new IllegalStateException("the relaxation was not solved: " + result.getState());
        }
        return result.getValue();
    }

    /**
     * The best whole assignment ojalgo's branch and bound finds within {@code millis}: each bid on one
     * server of its pairs or none, the same capacity rows. Congestion pricing is still left out (a pair
     * only needs the bid within its max on the otherwise idle server), so when {@link Integral#optimal}
     * its value bounds every round from above, tighter than the relaxation; when not, it is only a
     * welfare some (not necessarily congestion-priced) assignment reaches.
     */
    static Integral integral(List<RoundServer> servers, List<RoundBid> bids, long millis) {
        Optimisation.Result result = new LpWelfareBound(servers, bids).model(true, millis).maximise();
        return new Integral(result.getValue(), result.getState().isOptimal());
    }

    /** What {@link #integral} found: a welfare in micro-units, and whether the solver proved it optimal. */
    record Integral(double value, boolean optimal) {
    }

    private ExpressionsBasedModel model(boolean whole, long millis) {
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        if (millis > 0) {
            model.options.time_abort = millis;
        }
        Expression[][] capacity = new Expression[servers][3];
        for (int s = 0; s < servers; s++) {
            for (int r = 0; r < 3; r++) {
                capacity[s][r] = model.addExpression("server-" + s + "-" + r).upper(free[s][r]);
            }
        }
        for (int b = 0; b < bids; b++) {
            if (pairs[b].length == 0) {
                continue;
            }
            Expression once = model.addExpression("bid-" + b).upper(1);
            for (int s : pairs[b]) {
                Variable share = model.addVariable("x-" + b + "-" + s).lower(0).upper(1).weight(value[b]);
                if (whole) {
                    share.integer(true);
                }
                once.set(share, 1);
                for (int r = 0; r < 3; r++) {
                    capacity[s][r].set(share, demand[b][r]);
                }
            }
        }
        return model;
    }

    /**
     * The least Lagrangian bound found in {@code steps} subgradient steps (Polyak's step towards
     * {@code achieved}, a welfare some assignment reaches), in micro-units. Never below the relaxation's
     * optimum; close to it after enough steps.
     */
    static double lagrangian(List<RoundServer> servers, List<RoundBid> bids, double achieved, int steps) {
        return new LpWelfareBound(servers, bids).descend(achieved, steps);
    }

    private double descend(double achieved, int steps) {
        double[][] price = new double[servers][3];
        double[][] used = new double[servers][3];
        double best = Double.POSITIVE_INFINITY;
        double theta = 2.0;
        int sinceImproved = 0;
        for (int step = 0; step < steps; step++) {
            for (double[] row : used) {
                Arrays.fill(row, 0);
            }
            double bound = 0;
            for (int s = 0; s < servers; s++) {
                bound += free[s][0] * price[s][0] + free[s][1] * price[s][1] + free[s][2] * price[s][2];
            }
            for (int b = 0; b < bids; b++) {
                double surplus = 0;
                int where = -1;
                for (int s : pairs[b]) {
                    double gain = value[b] - demand[b][0] * price[s][0] - demand[b][1] * price[s][1]
                            - demand[b][2] * price[s][2];
                    if (gain > surplus) {
                        surplus = gain;
                        where = s;
                    }
                }
                bound += surplus;
                if (where >= 0) {
                    for (int r = 0; r < 3; r++) {
                        used[where][r] += demand[b][r];
                    }
                }
            }
            if (best == Double.POSITIVE_INFINITY || bound < best - 1e-9 * best) {
                best = bound;
                bestPrice = new double[servers][];
                for (int s = 0; s < servers; s++) {
                    bestPrice[s] = price[s].clone();
                }
                sinceImproved = 0;
            } else if (++sinceImproved >= 25) {
                theta /= 2;
                sinceImproved = 0;
            }
            // The subgradient of the bound in the prices is free minus used capacity.
            double norm = 0;
            for (int s = 0; s < servers; s++) {
                for (int r = 0; r < 3; r++) {
                    double g = free[s][r] - used[s][r];
                    norm += g * g;
                }
            }
            if (norm == 0 || theta < 1e-6) {
                break;
            }
            double length = theta * Math.max(bound - achieved, 1e-9 * bound) / norm;
            for (int s = 0; s < servers; s++) {
                for (int r = 0; r < 3; r++) {
                    price[s][r] = Math.max(0, price[s][r] - length * (free[s][r] - used[s][r]));
                }
            }
        }
        return best;
    }

    /**
     * The capacity prices of the least Lagrangian bound found in {@code steps} steps, per server and resource
     * (vCPU, MiB, GiB of disk), per unit of the resource: where {@link ServerKnapsackBound} starts from.
     */
    static double[][] lagrangianPrices(List<RoundServer> servers, List<RoundBid> bids, double achieved, int steps) {
        LpWelfareBound relaxation = new LpWelfareBound(servers, bids);
        relaxation.descend(achieved, steps);
        double[][] perUnit = new double[relaxation.servers][3];
        for (int s = 0; s < relaxation.servers; s++) {
            for (int r = 0; r < 3; r++) {
                perUnit[s][r] = relaxation.bestPrice[s][r] / relaxation.scale[r];
            }
        }
        return perUnit;
    }

    static boolean couldEverGo(RoundBid bid, RoundServer server) {
        return ExactWelfare.km(bid, server) <= bid.withinKm() + SLACK_KM
                && server.comparableReliability() >= bid.comparableMinReliability()
                && bid.demand().plus(server.reserved()).fitsWithin(server.capacity())
                && server.pricing().pricePerHourMicros(bid, server.reserved()) <= bid.maxPricePerHourMicros();
    }
}
