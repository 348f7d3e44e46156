package org.xenomarket.market.clearing.round;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;
import org.xenomarket.pricing.ServiceClass;

/**
 * Seeded instances of one region for measuring a round's welfare at scale: servers at twenty European
 * cities priced by real price sheets ({@link RandomServers}) and bids near them, with the servers'
 * sizes set by how scarce capacity is meant to be. The same seed and pressure always give the same
 * instance.
 */
final class QualityInstances {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    /** European cities a few hundred km apart, so a bid reaches some of the region's servers, not all. */
    private static final double[][] SITES = {{52.21, 0.12}, {52.37, 4.90}, {50.11, 8.68}, {48.86, 2.35},
            {51.51, -0.13}, {53.48, -2.24}, {50.85, 4.35}, {53.55, 9.99}, {52.52, 13.40}, {48.14, 11.58},
            {47.37, 8.54}, {45.46, 9.19}, {45.76, 4.84}, {43.30, 5.37}, {41.39, 2.17}, {40.42, -3.70},
            {55.68, 12.57}, {59.33, 18.07}, {50.08, 14.44}, {48.21, 16.37}};
    private static final List<String> SPONSORS = List.of("a0000000-0000-4000-8000-00000000000a",
            "b0000000-0000-4000-8000-00000000000b", "sponsor-other");

    /**
     * How much the bids ask for against what the servers have free. The bids are the same in each;
     * the servers are twice as large from one to the next (5 sizes from the smallest, doubling).
     */
    enum Pressure {
        /** Servers of 2..32 vCPU: the bids ask for about four times the free vCPUs. */
        SCARCE(2),
        /** Servers of 4..64 vCPU: about twice. */
        CONTESTED(4),
        /** Servers of 8..128 vCPU: about as much as is free (bids still compete for the nearest servers). */
        PLENTIFUL(8);

        private final int smallestVcpus;

        Pressure(int smallestVcpus) {
            this.smallestVcpus = smallestVcpus;
        }
    }

    /** One instance: the servers and the bids of a round. */
    record Instance(long seed, Pressure pressure, List<RoundServer> servers, List<RoundBid> bids) {
    }

    private QualityInstances() {
    }

    /** The instance of this seed and pressure: {@code servers} servers first, then {@code bids} bids, from one random stream. */
    static Instance draw(long seed, Pressure pressure, int servers, int bids, PricingEngine engine) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RoundServer> drawn = RandomServers.draw(random, servers, SITES, pressure.smallestVcpus, 5, 7, engine, NOW);
        return new Instance(seed, pressure, drawn, bids(random, bids, engine));
    }

    /**
     * Bids near a site within 100..1,500 km; 1..8 vCPU, 1..32 GiB, 10..200 GiB; 1..72 hours; either
     * class; max price 0.7..3 times what the bid would cost on an idle server of the region.
     */
    private static List<RoundBid> bids(SplittableRandom random, int count, PricingEngine engine) {
        List<RoundBid> bids = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            double[] site = SITES[random.nextInt(SITES.length)];
            ResourceVector demand = new ResourceVector(1 + random.nextInt(8), 1_024L * (1 + random.nextInt(32)),
                    10L * (1 + random.nextInt(20)));
            ServiceClass serviceClass = random.nextBoolean() ? ServiceClass.RESERVED : ServiceClass.BEST_EFFORT;
            QuoteRequest request = new QuoteRequest(demand, 0, serviceClass, NOW.plusSeconds(3_600L * random.nextInt(48)),
                    Duration.ofHours(1 + random.nextInt(72)), SPONSORS.get(random.nextInt(SPONSORS.size())));
            RoundBid probe = new RoundBid(new UUID(2, b), request, site[0], site[1], 1, 1, NOW);
            long idle = idlePrice(probe, engine);
            long max = Math.max(1, idle * (70 + random.nextInt(231)) / 100);
            bids.add(new RoundBid(new UUID(2, b), request, site[0] + random.nextDouble(-0.5, 0.5),
                    site[1] + random.nextDouble(-0.5, 0.5), 100 + random.nextInt(1_401), max,
                    NOW.minusSeconds(random.nextInt(10_000))));
        }
        return bids;
    }

    private static long idlePrice(RoundBid bid, PricingEngine engine) {
        ServerSnapshot big = new ServerSnapshot("probe", "prov", "eu-west", ZoneId.of("Europe/London"),
                new ResourceVector(64, 262_144, 3_200), ResourceVector.ZERO, Map.of());
        return engine.priceSheet(big, NOW).pricePerHourMicros(bid.request(), ResourceVector.ZERO);
    }
}
