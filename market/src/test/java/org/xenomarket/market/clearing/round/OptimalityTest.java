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
 * How close a round comes to the best possible welfare, on seeded random small instances (up to 30
 * bids x 8 servers) priced by the built-in policy's real price sheets.
 *
 * <p>Welfare: the sum of the placed bids' values (max price per hour x hours, {@link RoundBid#value}),
 * what sponsors declared the capacity is worth to them. The exact optimum ({@link ExactWelfare}, branch
 * and bound) keeps capacity, reach and congestion pricing (each bid within its max at the price with
 * the bids placed before it on its server, in the best order) and relaxes the round's own rules: value
 * order and the cheapest server. So it is an upper bound on any round's welfare, and the ratio says what
 * those rules cost.
 */
class OptimalityTest {

    private static final int INSTANCES = 300;
    private static final long BASE_SEED = 0x4f50_5449_0000_0000L; // "OPTI"
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    /** Sites of one region, a few hundred km apart, so placements reach some servers but not all. */
    private static final double[][] SITES = {{52.21, 0.12}, {52.37, 4.90}, {50.11, 8.68}, {48.86, 2.35},
            {51.51, -0.13}, {53.48, -2.24}};
    private static final List<String> SPONSORS = List.of("a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-other");

    private static PricingEngine engine;

    @BeforeAll
    static void compileTheBuiltInPolicy() {
        engine = PricingEngine.compile(PricingPolicy.builtIn());
    }

    @Test
    void roundsReachAtLeast95PercentOfTheOptimalWelfareOnAverage() {
        double sum = 0;
        double worst = 1;
        long worstSeed = 0;
        int counted = 0;
        int placedTotal = 0;
        int bidsTotal = 0;
        for (int i = 0; i < INSTANCES; i++) {
            long seed = BASE_SEED + i;
            SplittableRandom random = new SplittableRandom(seed);
            List<RoundServer> servers = servers(random);
            List<RoundBid> bids = bids(random, servers);
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            long achieved = outcome.welfare();
            long optimum = ExactWelfare.congestionPriced(servers, bids, achieved);
            assertTrue(achieved <= optimum, "seed " + seed + ": round beat the optimum");
            bidsTotal += bids.size();
            placedTotal += outcome.assignments().size();
            if (optimum == 0) {
                continue; // nothing could be placed at all; the round placed nothing either
            }
            double ratio = (double) achieved / optimum;
            sum += ratio;
            counted++;
            if (ratio < worst) {
                worst = ratio;
                worstSeed = seed;
            }
        }
        double mean = sum / counted;
        System.out.printf("Clearing optimality over %d instances (%d with any welfare; %d of %d bids placed):"
                        + " mean welfare ratio %.4f, worst %.4f (seed %d)%n",
                INSTANCES, counted, placedTotal, bidsTotal, mean, worst, worstSeed);
        assertTrue(counted > INSTANCES * 9 / 10, "too few instances with any welfare: " + counted);
        assertTrue(mean >= 0.95, "mean welfare ratio " + mean);
        assertTrue(worst >= WORST_BOUND, "worst welfare ratio " + worst + " at seed " + worstSeed);
    }

    /** The worst ratio observed over these seeds, rounded down: a change that makes rounds worse fails. */
    private static final double WORST_BOUND = 0.60;

    /** 1..8 servers of 2..16 vCPU (4 GiB and 50 GiB disk each) at the sites, some part-reserved, some floored. */
    private static List<RoundServer> servers(SplittableRandom random) {
        return RandomServers.draw(random, 1 + random.nextInt(8), SITES, 2, 4, 3, engine, NOW);
    }

    /**
     * 1..30 bids near a site within 50..1,000 km; 1..4 vCPU, 1..8 GiB, 10..100 GiB; 1..72 hours; either
     * class; max price 0.7..3 times what the bid would cost on an idle server of its region.
     */
    private static List<RoundBid> bids(SplittableRandom random, List<RoundServer> servers) {
        int count = 1 + random.nextInt(30);
        List<RoundBid> bids = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            double[] site = SITES[random.nextInt(SITES.length)];
            ResourceVector demand = new ResourceVector(1 + random.nextInt(4), 1_024L * (1 + random.nextInt(8)),
                    10L * (1 + random.nextInt(10)));
            ServiceClass serviceClass = random.nextBoolean() ? ServiceClass.RESERVED : ServiceClass.BEST_EFFORT;
            QuoteRequest request = new QuoteRequest(demand, 0, serviceClass, NOW.plusSeconds(3_600L * random.nextInt(48)),
                    Duration.ofHours(1 + random.nextInt(72)), SPONSORS.get(random.nextInt(SPONSORS.size())));
            RoundBid probe = new RoundBid(new UUID(2, b), request, site[0], site[1], 1, 1, NOW);
            long idle = idlePrice(probe);
            long max = Math.max(1, idle * (70 + random.nextInt(231)) / 100);
            bids.add(new RoundBid(new UUID(2, b), request, site[0] + random.nextDouble(-0.5, 0.5),
                    site[1] + random.nextDouble(-0.5, 0.5), 50 + random.nextInt(951), max,
                    NOW.minusSeconds(random.nextInt(10_000))));
        }
        return bids;
    }

    private static long idlePrice(RoundBid bid) {
        ServerSnapshot big = new ServerSnapshot("probe", "prov", "eu-west", ZoneId.of("Europe/London"),
                new ResourceVector(16, 65_536, 800), ResourceVector.ZERO, Map.of());
        return engine.priceSheet(big, NOW).pricePerHourMicros(bid.request(), ResourceVector.ZERO);
    }
}
