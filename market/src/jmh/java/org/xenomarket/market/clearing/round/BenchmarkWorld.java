package org.xenomarket.market.clearing.round;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;
import org.xenomarket.pricing.ServiceClass;

/**
 * A round's input shaped like the market's world, from a fixed seed: the demo's seven sites in three
 * regions as metro anchors, each with satellite sites within 300 km (servers per metro in proportion
 * to its weight), servers of the demo's sizes (4..64 vCPU), a fifth with a provider floor, a quarter
 * already part-reserved; price sheets from the built-in policy. Bids cluster around the same metros
 * (within 200 km), want 1..8 vCPU for 1 h..1 week, within 50..1,000 km, either class, both sponsors
 * with commitments and others, with a max price 0.7..3 times the idle price of their request.
 */
final class BenchmarkWorld {

    static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    /** lat, lon, weight (share of servers and bids), region, zone: the demo catalogue's sites. */
    private record Metro(double lat, double lon, int weight, String region, String zone) {
    }

    private static final List<Metro> METROS = List.of(
            new Metro(52.2053, 0.1218, 3, "eu-west", "Europe/London"),
            new Metro(52.3676, 4.9041, 3, "eu-west", "Europe/Amsterdam"),
            new Metro(50.1109, 8.6821, 4, "eu-west", "Europe/Berlin"),
            new Metro(40.7128, -74.0060, 4, "us-east", "America/New_York"),
            new Metro(39.0438, -77.4874, 4, "us-east", "America/New_York"),
            new Metro(1.3521, 103.8198, 3, "ap-south", "Asia/Singapore"),
            new Metro(-33.8688, 151.2093, 2, "ap-south", "Australia/Sydney"));
    private static final int[] VCPUS = {4, 8, 16, 32, 64};
    private static final List<String> SPONSORS = List.of("a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-initech",
            "sponsor-umbrella");

    final List<RoundServer> servers;
    final List<RoundBid> bids;

    private BenchmarkWorld(List<RoundServer> servers, List<RoundBid> bids) {
        this.servers = servers;
        this.bids = bids;
    }

    static BenchmarkWorld generate(int serverCount, int bidCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn());
        int totalWeight = METROS.stream().mapToInt(Metro::weight).sum();
        List<ServerSnapshot> snapshots = new ArrayList<>(serverCount);
        double[][] places = new double[serverCount][];
        int sitesPerMetro = 60;
        double[][][] sites = new double[METROS.size()][sitesPerMetro][];
        for (int m = 0; m < METROS.size(); m++) {
            for (int t = 0; t < sitesPerMetro; t++) {
                sites[m][t] = near(random, METROS.get(m), t == 0 ? 0 : 300);
            }
        }
        for (int i = 0; i < serverCount; i++) {
            int m = pickMetro(random, totalWeight);
            Metro metro = METROS.get(m);
            int vcpus = VCPUS[random.nextInt(VCPUS.length)];
            ResourceVector capacity = new ResourceVector(vcpus, vcpus * 4_096L, vcpus * 60L);
            ResourceVector reserved = random.nextInt(4) == 0
                    ? new ResourceVector(random.nextInt(vcpus / 2), random.nextInt(vcpus / 2) * 4_096L, 0)
                    : ResourceVector.ZERO;
            Map<Resource, BigDecimal> floors = random.nextInt(5) == 0
                    ? Map.of(Resource.VCPU, new BigDecimal("0.0" + (10 + random.nextInt(15)))) : Map.of();
            snapshots.add(new ServerSnapshot(new UUID(7, i).toString(), "provider-" + random.nextInt(200),
                    metro.region(), ZoneId.of(metro.zone()), capacity, reserved, floors));
            places[i] = sites[m][random.nextInt(sitesPerMetro)];
        }
        Map<String, PriceSheet> sheets = engine.priceSheets(snapshots, NOW);
        List<RoundServer> servers = new ArrayList<>(serverCount);
        for (int i = 0; i < serverCount; i++) {
            ServerSnapshot s = snapshots.get(i);
            servers.add(new RoundServer(UUID.fromString(s.serverId()), s.regionCode(), places[i][0], places[i][1],
                    s.capacity(), s.reserved(), new SheetPricing(sheets.get(s.serverId()))));
        }
        // the idle price of a request per region, to set max prices around it
        Map<String, PriceSheet> reference = engine.priceSheets(METROS.stream().map(Metro::region).distinct()
                .map(r -> new ServerSnapshot("ref-" + r, "ref", r, ZoneId.of("UTC"),
                        new ResourceVector(64, 262_144, 4_000), ResourceVector.ZERO, Map.of())).toList(), NOW);
        List<RoundBid> bids = new ArrayList<>(bidCount);
        for (int b = 0; b < bidCount; b++) {
            Metro metro = METROS.get(pickMetro(random, totalWeight));
            double[] at = near(random, metro, 200);
            int vcpus = 1 << random.nextInt(4);
            ResourceVector demand = new ResourceVector(vcpus, 1_024L * vcpus * (1 + random.nextInt(4)),
                    10L * (1 + random.nextInt(10)));
            int hours = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(24);
                case 2 -> 24 + random.nextInt(144);
                default -> 168;
            };
            ServiceClass serviceClass = random.nextInt(3) == 0 ? ServiceClass.BEST_EFFORT : ServiceClass.RESERVED;
            QuoteRequest request = new QuoteRequest(demand, 0, serviceClass, NOW.plusSeconds(600L * random.nextInt(36)),
                    Duration.ofHours(hours), SPONSORS.get(random.nextInt(SPONSORS.size())));
            long idle = reference.get("ref-" + metro.region()).pricePerHourMicros(request, ResourceVector.ZERO);
            long max = Math.max(1, idle * (70 + random.nextInt(231)) / 100);
            bids.add(new RoundBid(new UUID(8, b), request, at[0], at[1], 50 + random.nextInt(951), max,
                    NOW.minusSeconds(random.nextInt(86_400))));
        }
        return new BenchmarkWorld(servers, bids);
    }

    private static int pickMetro(SplittableRandom random, int totalWeight) {
        int r = random.nextInt(totalWeight);
        for (int m = 0; m < METROS.size(); m++) {
            r -= METROS.get(m).weight();
            if (r < 0) {
                return m;
            }
        }
        return METROS.size() - 1;
    }

    /** A point up to {@code km} from the metro, uniform in a square of that half-size (good enough here). */
    private static double[] near(SplittableRandom random, Metro metro, double km) {
        double dLat = km == 0 ? 0 : random.nextDouble(-km, km) / 111.2;
        double dLon = km == 0 ? 0 : random.nextDouble(-km, km) / (111.2 * Math.cos(Math.toRadians(metro.lat())));
        return new double[] {metro.lat() + dLat, metro.lon() + dLon};
    }

    /** What a round made of its bids, as the benchmarks print it after a trial to show they all place the same. */
    static String summary(RoundOutcome outcome) {
        long[] causes = new long[UnmatchedCause.values().length];
        outcome.unmatched().forEach(u -> causes[u.cause().ordinal()]++);
        return String.format("%d placed; open: %d none in reach, %d all full, %d above max",
                outcome.assignments().size(), causes[UnmatchedCause.NONE_IN_REACH.ordinal()],
                causes[UnmatchedCause.ALL_FULL.ordinal()], causes[UnmatchedCause.ABOVE_MAX.ordinal()]);
    }
}
