package org.xenomarket.market.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;
import org.xenomarket.pricing.ServiceClass;

/**
 * A quote's offer picked from lower bounds ({@link CheapestPerHour} over {@link PriceSheet#pricePerHourLowerBoundMicros})
 * is the offer full pricing picks ({@link OfferFinder#BY_PRICE_THEN_DISTANCE}, first found on a tie): over 3,000
 * random searches of up to 60 real sheets under the built-in policy, at random reservations (a bound taken at no
 * reservation is what makes a reserved server's price differ from its bound), with equal servers and equal
 * distances so that prices and distances tie.
 */
class CheapestPerHourTest {

    private static final PricingEngine ENGINE = PricingEngine.compile(PricingPolicy.builtIn());
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    private static final List<String> ZONES = List.of("Europe/London", "America/New_York", "Asia/Kolkata", "UTC");

    @Test
    void theOfferPickedFromBoundsIsTheOfferFullPricingPicks() {
        SplittableRandom random = new SplittableRandom(0x43484541L); // "CHEA"
        int pricedLess = 0;
        for (int search = 0; search < 3_000; search++) {
            int n = 1 + random.nextInt(60);
            // a few kinds of server per search, so that many share a price
            List<ServerSnapshot> kinds = new ArrayList<>();
            List<PriceSheet> kindSheets = new ArrayList<>();
            for (int k = 0, kindsCount = 1 + random.nextInt(4); k < kindsCount; k++) {
                kinds.add(server(random, k));
                kindSheets.add(ENGINE.priceSheet(kinds.get(k), NOW));
            }
            QuoteRequest request = request(random);
            List<PriceSheet> sheets = new ArrayList<>();
            ResourceVector[] reserved = new ResourceVector[n];
            double[] km = new double[n];
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(kinds.size());
                ServerSnapshot kind = kinds.get(k);
                sheets.add(kindSheets.get(k));
                ResourceVector cap = kind.capacity();
                double share = random.nextInt(3) == 0 ? 0 : random.nextDouble();
                reserved[i] = new ResourceVector((int) (cap.vcpus() * share), (long) (cap.memoryMib() * share),
                        (long) (cap.diskGib() * share));
                km[i] = random.nextInt(4) == 0 && i > 0 ? km[i - 1] : i * 3.0 + random.nextInt(3);
            }
            // full pricing, as OfferFinder.cheapest picks among every offer
            int expected = IntStream.range(0, n).boxed()
                    .min(Comparator.<Integer, BigDecimal>comparing(i -> sheets.get(i)
                                    .quote(request, reserved[i], NOW).pricePerHour().amount())
                            .thenComparingDouble(i -> km[i]))
                    .orElseThrow();
            long[] bounds = new long[n];
            for (int i = 0; i < n; i++) {
                bounds[i] = sheets.get(i).pricePerHourLowerBoundMicros(request);
            }
            int[] priced = {0};
            int actual = CheapestPerHour.pick(km, bounds, i -> {
                priced[0]++;
                return sheets.get(i).pricePerHourMicros(request, reserved[i]);
            });
            assertEquals(expected, actual, "search " + search + ": " + request);
            if (priced[0] < n) {
                pricedLess++;
            }
        }
        assertTrue(pricedLess > 1_000, "the bounds left servers unpriced in only " + pricedLess + " searches");
    }

    @Test
    void noCandidatesPickNone() {
        assertEquals(-1, CheapestPerHour.pick(new double[0], new long[0], i -> 0));
    }

    private static ServerSnapshot server(SplittableRandom random, int kind) {
        ResourceVector capacity = new ResourceVector(8 + random.nextInt(120), 16_384 + random.nextInt(500_000),
                100 + random.nextInt(5_000));
        Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
        if (random.nextInt(3) == 0) {
            floors.put(Resource.VCPU, BigDecimal.valueOf(random.nextInt(60_000), 6));
        }
        return new ServerSnapshot("s" + kind, "p" + kind % 2, REGIONS.get(random.nextInt(REGIONS.size())),
                ZoneId.of(ZONES.get(random.nextInt(ZONES.size()))), capacity, ResourceVector.ZERO, floors);
    }

    private static QuoteRequest request(SplittableRandom random) {
        return new QuoteRequest(new ResourceVector(1 + random.nextInt(8), 512 + random.nextInt(16_384),
                random.nextInt(200)), random.nextInt(100), random.nextBoolean() ? ServiceClass.RESERVED
                : ServiceClass.BEST_EFFORT, NOW.plusSeconds(random.nextInt(366 * 86_400)),
                Duration.ofMinutes(1 + random.nextInt(60 * 24 * 40)), random.nextInt(3) == 0 ? null
                : "a0000000-0000-4000-8000-00000000000a");
    }
}
