package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.clearing.round.QualityInstances.Instance;
import org.xenomarket.market.clearing.round.QualityInstances.Pressure;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;

/**
 * How far the best whole assignment is from the LP bound, on instances small enough for ojalgo's
 * branch and bound ({@link LpWelfareBound#integral}): {@link QualityInstances} of 100 bids x 10 servers
 * and 200 x 20, the same bids per server as the 1,000 x 100 of {@link LpBoundQualityTest}. If even the
 * integral optimum is well under the LP bound, no round can reach a share of the bound above it.
 *
 * <p>By default it is a guard on the instances the solver settles in seconds: two plentiful 100 x 10
 * instances, on which the round must reach 0.93 of the best whole assignment found in 10 s (measured:
 * 0.996 of the proven optimum on the first, but only 0.946 of the best found on the second, so part of
 * the gap to the LP bound is the round's own, not the relaxation's). With {@code -Dxenomarket.quality.integral=<seconds per solve>} it is the whole
 * measurement: 50 x 5 and 100 x 10 at every pressure, printed, with the same checks.
 */
class IntegralGapTest {

    private static final long BASE_SEED = 0x494e_5447_5241_4c00L; // "INTGRAL"
    private static final int PER_PRESSURE = Integer.getInteger("xenomarket.quality.integral.instances", 2);

    private static PricingEngine engine;

    @BeforeAll
    static void compileTheBuiltInPolicy() {
        engine = PricingEngine.compile(PricingPolicy.builtIn());
    }

    @Test
    void theIntegralOptimumAgainstTheLpBound() {
        Long seconds = Long.getLong("xenomarket.quality.integral");
        boolean measuring = seconds != null;
        long millis = 1_000L * (measuring ? seconds : 10);
        int[][] sizes = measuring ? new int[][] {{50, 5}, {100, 10}} : new int[][] {{100, 10}};
        List<Pressure> pressures = measuring ? List.of(Pressure.values()) : List.of(Pressure.PLENTIFUL);
        for (int[] size : sizes) {
            for (Pressure pressure : pressures) {
                for (int i = 0; i < PER_PRESSURE; i++) {
                    Instance instance = QualityInstances.draw(BASE_SEED + 100L * size[1] + 10L * pressure.ordinal() + i,
                            pressure, size[1], size[0], engine);
                    List<RoundServer> servers = instance.servers();
                    List<RoundBid> bids = instance.bids();
                    long round = ClearingRound.clear(servers, bids).welfare();
                    double lp = LpWelfareBound.simplex(servers, bids);
                    long started = System.nanoTime();
                    LpWelfareBound.Integral whole = LpWelfareBound.integral(servers, bids, millis);
                    long took = (System.nanoTime() - started) / 1_000_000;
                    System.out.printf("Integral gap: %d x %d, %s, seed %d: LP %.0f, integral %.0f (%s, %d ms),"
                                    + " integral/LP %.4f, round/LP %.4f, round/integral %.4f%n", size[0], size[1], pressure,
                            instance.seed(), lp, whole.value(), whole.optimal() ? "optimal" : "best found", took,
                            whole.value() / lp, round / lp, round / whole.value());
                    assertTrue(whole.value() <= lp * (1 + 1e-6), "the whole assignment beat its relaxation");
                    if (pressure == Pressure.PLENTIFUL) {
                        // The solver's best is at most the optimum, so this holds whenever the round is good.
                        assertTrue(round >= 0.93 * whole.value(), "the round reached " + round / whole.value()
                                + " of the best whole assignment on a plentiful instance");
                    }
                }
            }
        }
    }
}
