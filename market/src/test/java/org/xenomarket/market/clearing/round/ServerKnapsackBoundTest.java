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
 * The tighter bound of whole server fillings ({@link ServerKnapsackBound}) is a bound: never below a whole
 * assignment ojalgo's branch and bound finds, nor below the round's welfare or its own whole assignment,
 * and never above the LP bound it starts from; on a scarce instance strictly below it (the relaxation's
 * fractional bids are what it removes).
 */
class ServerKnapsackBoundTest {

    private static final long BASE_SEED = 0x4b4e_4150_5341_4300L; // "KNAPSAC"
    private static final int LP_STEPS = 3_000;

    private static PricingEngine engine;

    @BeforeAll
    static void compileTheBuiltInPolicy() {
        engine = PricingEngine.compile(PricingPolicy.builtIn());
    }

    @Test
    void theBoundOfWholeFillingsLiesBetweenWholeAssignmentsAndTheLpBound() {
        for (Pressure pressure : List.of(Pressure.SCARCE, Pressure.CONTESTED)) {
            Instance instance = QualityInstances.draw(BASE_SEED + pressure.ordinal(), pressure, 10, 100, engine);
            List<RoundServer> servers = instance.servers();
            List<RoundBid> bids = instance.bids();
            long round = ClearingRound.clear(servers, bids).welfare();
            double lp = LpWelfareBound.lagrangian(servers, bids, round, LP_STEPS);
            double simplex = LpWelfareBound.simplex(servers, bids);
            ServerKnapsackBound.Result knapsacks = ServerKnapsackBound.bound(servers, bids, round, LP_STEPS, 200, true);
            LpWelfareBound.Integral whole = LpWelfareBound.integral(servers, bids, 5_000);
            System.out.printf("Whole fillings: %s, seed %d: round %d, whole found %.0f (ojalgo %.0f, %s), bound %.0f,"
                            + " LP %.0f (simplex %.0f): bound/LP %.4f%n", pressure, instance.seed(), round, knapsacks.whole(),
                    whole.value(), whole.optimal() ? "optimal" : "best found", knapsacks.bound(), lp, simplex,
                    knapsacks.bound() / simplex);
            assertTrue(knapsacks.bound() >= whole.value() * (1 - 1e-9), "below a whole assignment ojalgo found");
            assertTrue(knapsacks.bound() >= knapsacks.whole() * (1 - 1e-9), "below its own whole assignment");
            assertTrue(knapsacks.bound() >= round, "below the round");
            assertTrue(knapsacks.bound() <= lp * (1 + 1e-9), "above the LP bound it starts from");
            if (pressure == Pressure.SCARCE) {
                assertTrue(knapsacks.bound() < simplex * 0.995, "not tighter than the LP optimum on a scarce instance");
            }
        }
    }
}
