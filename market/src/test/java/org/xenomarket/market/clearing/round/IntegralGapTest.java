package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xenomarket.market.clearing.round.QualityInstances.Instance;
import org.xenomarket.market.clearing.round.QualityInstances.Pressure;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;

/**
 * How far the best whole assignment is from the LP bound, on instances small enough for ojalgo's
 * branch and bound ({@link LpWelfareBound#integral}): {@link QualityInstances} of 100 bids x 10 servers
 * and 200 x 20, the same bids per server as the 1,000 x 100 of {@link LpBoundQualityTest}. If even the
 * integral optimum is well under the LP bound, no round can reach a share of the bound above it.
 * A measurement, not a guard: it runs only with {@code -Dxenomarket.quality.integral=<seconds per solve>}.
 */
@EnabledIfSystemProperty(named = "xenomarket.quality.integral", matches = "\\d+")
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
        long millis = 1_000L * Long.getLong("xenomarket.quality.integral");
        for (int[] size : new int[][] {{50, 5}, {100, 10}}) {
            for (Pressure pressure : Pressure.values()) {
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
                }
            }
        }
    }
}
