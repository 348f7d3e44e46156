package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;
import org.xenomarket.pricing.ServiceClass;

/**
 * Clearing quality at scale: on seeded instances of 1,000 bids x 100 servers of one region, priced
 * by the built-in policy's real price sheets, a round's welfare against the upper bound of the
 * assignment's linear relaxation ({@link LpWelfareBound}). The exact optimum ({@link OptimalityTest})
 * is out of reach at this size; the LP bound is above it, so the ratio here understates the round.
 * The bound is the relaxation's Lagrangian dual ({@link LpWelfareBound#lagrangian}), checked against
 * ojalgo's simplex on smaller instances, where the simplex finishes.
 *
 * <p>The instances are contested: the bids ask for about twice the vCPUs the servers have free, so
 * a round must choose, and a poor choice shows.
 */
class LpBoundQualityTest {

    private static final int INSTANCES = Integer.getInteger("xenomarket.quality.instances", 8);
    private static final int BIDS = 1_000;
    private static final int SERVERS = 100;
    private static final long BASE_SEED = 0x4c50_424f_554e_4400L; // "LPBOUND"
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    /** European cities a few hundred km apart, so a bid reaches some of the region's servers, not all. */
    private static final double[][] SITES = {{52.21, 0.12}, {52.37, 4.90}, {50.11, 8.68}, {48.86, 2.35},
            {51.51, -0.13}, {53.48, -2.24}, {50.85, 4.35}, {53.55, 9.99}, {52.52, 13.40}, {48.14, 11.58},
            {47.37, 8.54}, {45.46, 9.19}, {45.76, 4.84}, {43.30, 5.37}, {41.39, 2.17}, {40.42, -3.70},
            {55.68, 12.57}, {59.33, 18.07}, {50.08, 14.44}, {48.21, 16.37}};
    /** Subgradient steps of the Lagrangian bound: enough to come within a fraction of a percent of the LP optimum. */
    private static final int STEPS = 3_000;
    private static final List<String> SPONSORS = List.of("a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-other");

    private static PricingEngine engine;

    @BeforeAll
    static void compileTheBuiltInPolicy() {
        engine = PricingEngine.compile(PricingPolicy.builtIn());
    }

    @Test
    void roundsKeepTheirMeasuredShareOfTheLpBoundAtScale() {
        double sum = 0;
        double worst = 1;
        long worstSeed = 0;
        for (int i = 0; i < INSTANCES; i++) {
            long seed = BASE_SEED + i;
            SplittableRandom random = new SplittableRandom(seed);
            List<RoundServer> servers = servers(random, SERVERS);
            List<RoundBid> bids = bids(random, BIDS);
            long started = System.nanoTime();
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            long roundMillis = (System.nanoTime() - started) / 1_000_000;
            started = System.nanoTime();
            double bound = LpWelfareBound.lagrangian(servers, bids, outcome.welfare(), STEPS);
            long lpMillis = (System.nanoTime() - started) / 1_000_000;
            double ratio = outcome.welfare() / bound;
            // The same round with every server's price frozen at its price before the round: what the
            // bound assumes. The difference between the two ratios is what congestion pricing costs.
            double flatRatio = ClearingRound.clear(flatPriced(servers), bids).welfare() / bound;
            System.out.printf("LP bound quality: seed %d, %d of %d bids placed, welfare %d, bound %.0f, ratio %.4f"
                            + " (with prices frozen: %.4f; round %d ms, LP %d ms)%n", seed, outcome.assignments().size(),
                    bids.size(), outcome.welfare(), bound, ratio, flatRatio, roundMillis, lpMillis);
            assertTrue(outcome.welfare() <= bound * (1 + 1e-9), "seed " + seed + ": the round beat its upper bound");
            sum += ratio;
            if (ratio < worst) {
                worst = ratio;
                worstSeed = seed;
            }
        }
        double mean = sum / INSTANCES;
        System.out.printf("LP bound quality over %d instances of %d bids x %d servers: mean %.4f, worst %.4f (seed %d)%n",
                INSTANCES, BIDS, SERVERS, mean, worst, worstSeed);
        assertTrue(mean >= MEAN_FLOOR, "mean welfare ratio " + mean);
        assertTrue(worst >= WORST_FLOOR, "worst welfare ratio " + worst + " at seed " + worstSeed);
    }

    /**
     * What rounds reach today, rounded down, so a change that makes rounds worse fails: mean 0.927,
     * worst 0.916 over these eight seeds. Issue 17 asks for a mean of 0.97 and no instance under
     * 0.9; the mean is not met (see docs/benchmarks.md, "Clearing quality against the LP bound").
     */
    private static final double MEAN_FLOOR = 0.92;
    private static final double WORST_FLOOR = 0.91;

    /** The servers with their price frozen at what each asks before the round places anything. */
    private static List<RoundServer> flatPriced(List<RoundServer> servers) {
        List<RoundServer> flat = new ArrayList<>();
        for (RoundServer s : servers) {
            ServerPricing sheet = s.pricing();
            ResourceVector before = s.reserved();
            flat.add(new RoundServer(s.id(), s.region(), s.latitude(), s.longitude(), s.capacity(), s.reserved(),
                    (bid, reserved) -> sheet.pricePerHourMicros(bid, before)));
        }
        return flat;
    }

    @Test
    void theLagrangianBoundIsNeverBelowTheSimplexOptimumAndCloseToIt() {
        for (int i = 0; i < 5; i++) {
            long seed = BASE_SEED + 1_000 + i;
            SplittableRandom random = new SplittableRandom(seed);
            List<RoundServer> servers = servers(random, 12);
            List<RoundBid> bids = bids(random, 120);
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            double exact = LpWelfareBound.simplex(servers, bids);
            double lagrangian = LpWelfareBound.lagrangian(servers, bids, outcome.welfare(), STEPS);
            System.out.printf("LP bound check: seed %d, round %d, simplex %.0f, lagrangian %.0f (+%.3f%%)%n", seed,
                    outcome.welfare(), exact, lagrangian, 100 * (lagrangian / exact - 1));
            assertTrue(outcome.welfare() <= exact * (1 + 1e-9), "seed " + seed + ": the round beat the LP optimum");
            assertTrue(lagrangian >= exact * (1 - 1e-9), "seed " + seed + ": below the LP optimum, so no bound");
            assertTrue(lagrangian <= exact * 1.01, "seed " + seed + ": more than 1% above the LP optimum");
        }
    }

    /** 100 servers of 4..64 vCPU (4 GiB and 50 GiB of disk per vCPU) at the sites, some part-reserved, some floored. */
    private static List<RoundServer> servers(SplittableRandom random, int count) {
        return RandomServers.draw(random, count, SITES, 4, 5, 7, engine, NOW);
    }

    /**
     * 1,000 bids near a site within 100..1,500 km; 1..8 vCPU, 1..32 GiB, 10..200 GiB; 1..72 hours;
     * either class; max price 0.7..3 times what the bid would cost on an idle server of the region.
     */
    private static List<RoundBid> bids(SplittableRandom random, int count) {
        List<RoundBid> bids = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            double[] site = SITES[random.nextInt(SITES.length)];
            ResourceVector demand = new ResourceVector(1 + random.nextInt(8), 1_024L * (1 + random.nextInt(32)),
                    10L * (1 + random.nextInt(20)));
            ServiceClass serviceClass = random.nextBoolean() ? ServiceClass.RESERVED : ServiceClass.BEST_EFFORT;
            QuoteRequest request = new QuoteRequest(demand, 0, serviceClass, NOW.plusSeconds(3_600L * random.nextInt(48)),
                    Duration.ofHours(1 + random.nextInt(72)), SPONSORS.get(random.nextInt(SPONSORS.size())));
            RoundBid probe = new RoundBid(new UUID(2, b), request, site[0], site[1], 1, 1, NOW);
            long idle = idlePrice(probe);
            long max = Math.max(1, idle * (70 + random.nextInt(231)) / 100);
            bids.add(new RoundBid(new UUID(2, b), request, site[0] + random.nextDouble(-0.5, 0.5),
                    site[1] + random.nextDouble(-0.5, 0.5), 100 + random.nextInt(1_401), max,
                    NOW.minusSeconds(random.nextInt(10_000))));
        }
        return bids;
    }

    private static long idlePrice(RoundBid bid) {
        ServerSnapshot big = new ServerSnapshot("probe", "prov", "eu-west", ZoneId.of("Europe/London"),
                new ResourceVector(64, 262_144, 3_200), ResourceVector.ZERO, Map.of());
        return engine.priceSheet(big, NOW).pricePerHourMicros(bid.request(), ResourceVector.ZERO);
    }
}
