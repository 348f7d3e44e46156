package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.clearing.round.QualityInstances.Instance;
import org.xenomarket.market.clearing.round.QualityInstances.Pressure;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.ResourceVector;

/**
 * Clearing quality at scale: on seeded instances of 1,000 bids x 100 servers of one region
 * ({@link QualityInstances}: capacity scarce, contested or plentiful in turn), priced by the built-in
 * policy's real price sheets, a round's welfare against the upper bound of the assignment's linear
 * relaxation ({@link LpWelfareBound}). The exact optimum ({@link OptimalityTest}) is out of reach at
 * this size; the LP bound is above it, so the ratio here understates the round. The bound is the
 * relaxation's Lagrangian dual ({@link LpWelfareBound#lagrangian}), checked against ojalgo's simplex on
 * smaller instances, where the simplex finishes.
 *
 * <p>Three instances by default, one of each pressure, so the test takes seconds; the measurement in
 * docs/benchmarks.md runs twenty with {@code -Dxenomarket.quality.instances=20}.
 */
class LpBoundQualityTest {

    private static final int INSTANCES = Integer.getInteger("xenomarket.quality.instances", 3);
    private static final int BIDS = 1_000;
    private static final int SERVERS = 100;
    private static final long BASE_SEED = 0x4c50_424f_554e_4400L; // "LPBOUND"
    /** Subgradient steps of the Lagrangian bound: enough to come within a fraction of a percent of the LP optimum. */
    private static final int STEPS = 3_000;

    /**
     * What rounds reach today, rounded down, so a change that makes rounds worse fails: mean 0.9483 and
     * worst 0.9276 over the twenty seeds, 0.9507 and 0.9287 over the default three, with the refilling
     * passes ({@link GroupRefilling}) between the displacing ones ({@link GroupDisplacing}); without
     * them 0.9368 and 0.9156 over twenty (0.9429 and 0.9177 over three), which fails both floors. Issue 17
     * asks for a mean of 0.97 (not met) and no instance under 0.9 (met).
     */
    private static final double MEAN_FLOOR = 0.945;
    private static final double WORST_FLOOR = 0.925;

    private static PricingEngine engine;

    @BeforeAll
    static void compileTheBuiltInPolicy() {
        engine = PricingEngine.compile(PricingPolicy.builtIn());
    }

    /** Instance {@code i}: its own seed, the pressures in turn. */
    private static Instance instance(int i) {
        return QualityInstances.draw(BASE_SEED + i, Pressure.values()[i % Pressure.values().length], SERVERS, BIDS,
                engine);
    }

    @Test
    void roundsKeepTheirMeasuredShareOfTheLpBoundAtScale() {
        double sum = 0;
        double worst = 1;
        long worstSeed = 0;
        Map<Pressure, List<Double>> byPressure = new EnumMap<>(Pressure.class);
        for (int i = 0; i < INSTANCES; i++) {
            Instance instance = instance(i);
            List<RoundServer> servers = instance.servers();
            List<RoundBid> bids = instance.bids();
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            long started = System.nanoTime();
            double bound = LpWelfareBound.lagrangian(servers, bids, outcome.welfare(), STEPS);
            long lpMillis = (System.nanoTime() - started) / 1_000_000;
            double ratio = outcome.welfare() / bound;
            System.out.printf("LP bound quality: seed %d, %s (bids ask %.1f x the free vCPUs), %d of %d bids placed,"
                            + " welfare %d, bound %.0f, ratio %.4f (LP %d ms)%n", instance.seed(), instance.pressure(),
                    askedOverFree(servers, bids), outcome.assignments().size(), bids.size(), outcome.welfare(), bound,
                    ratio, lpMillis);
            assertTrue(outcome.welfare() <= bound * (1 + 1e-9), "seed " + instance.seed() + ": the round beat its upper bound");
            byPressure.computeIfAbsent(instance.pressure(), p -> new ArrayList<>()).add(ratio);
            sum += ratio;
            if (ratio < worst) {
                worst = ratio;
                worstSeed = instance.seed();
            }
        }
        byPressure.forEach((pressure, ratios) -> System.out.printf("LP bound quality, %s: %d instances, mean %.4f, worst %.4f%n",
                pressure, ratios.size(), ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
        double mean = sum / INSTANCES;
        System.out.printf("LP bound quality over %d instances of %d bids x %d servers: mean %.4f, worst %.4f (seed %d)%n",
                INSTANCES, BIDS, SERVERS, mean, worst, worstSeed);
        assertTrue(mean >= MEAN_FLOOR, "mean welfare ratio " + mean);
        assertTrue(worst >= WORST_FLOOR, "worst welfare ratio " + worst + " at seed " + worstSeed);
    }

    /** The vCPUs the bids ask for over those the servers have free: how contested the instance is. */
    private static double askedOverFree(List<RoundServer> servers, List<RoundBid> bids) {
        long free = 0;
        for (RoundServer s : servers) {
            free += s.capacity().vcpus() - s.reserved().vcpus();
        }
        long asked = bids.stream().map(RoundBid::demand).mapToLong(ResourceVector::vcpus).sum();
        return (double) asked / free;
    }

    @Test
    void theLagrangianBoundIsNeverBelowTheSimplexOptimumAndCloseToIt() {
        for (int i = 0; i < 5; i++) {
            Instance instance = QualityInstances.draw(BASE_SEED + 1_000 + i, Pressure.CONTESTED, 12, 120, engine);
            List<RoundServer> servers = instance.servers();
            List<RoundBid> bids = instance.bids();
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            double exact = LpWelfareBound.simplex(servers, bids);
            double lagrangian = LpWelfareBound.lagrangian(servers, bids, outcome.welfare(), STEPS);
            System.out.printf("LP bound check: seed %d, round %d, simplex %.0f, lagrangian %.0f (+%.3f%%)%n",
                    instance.seed(), outcome.welfare(), exact, lagrangian, 100 * (lagrangian / exact - 1));
            assertTrue(outcome.welfare() <= exact * (1 + 1e-9), "seed " + instance.seed() + ": the round beat the LP optimum");
            assertTrue(lagrangian >= exact * (1 - 1e-9), "seed " + instance.seed() + ": below the LP optimum, so no bound");
            assertTrue(lagrangian <= exact * 1.01, "seed " + instance.seed() + ": more than 1% above the LP optimum");
        }
    }
}
