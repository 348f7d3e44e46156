package org.xenomarket.pricing;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenomarket.pricing.Arbitrary.Case;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.pricing.Arbitrary.NOW;

/**
 * Properties every quote of the built-in policy keeps, whatever the server and request.
 *
 * <p>Plain JUnit 5: each property runs once per seed of {@link Arbitrary#seeds} (a fixed base seed
 * plus the case index, so a failing seed reproduces its input exactly) and once per named edge case;
 * a failure names the seed or edge case and prints the input.
 */
class PricingPropertiesTest {

    private static final long BASE_SEED = 0x5052_4943_0000_0000L; // "PRIC"
    private static final int QUOTE_CASES = 300;
    private static final int FAST_PATH_CASES = 1_000;
    private static final int SAME_INPUT_CASES = 100;
    private static final int CURVE_CASES = 1_000;
    private static final long PPM = 1_000_000;

    private static final List<CongestionCurve.Point> POINTS = PricingPolicy.builtIn().tables().congestionCurve();
    private static final CongestionCurve CURVE = PricingPolicy.builtIn().tables().curve();

    private static PricingEngine engine() {
        return Fixtures.builtInEngine();
    }

    // ================================================================ seeds, one base per property

    static LongStream monotoneSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x1_0000L, QUOTE_CASES);
    }

    static LongStream floorSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x2_0000L, QUOTE_CASES);
    }

    static LongStream totalSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x3_0000L, QUOTE_CASES);
    }

    static LongStream breakdownSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x4_0000L, QUOTE_CASES);
    }

    static LongStream fastPathSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x5_0000L, FAST_PATH_CASES);
    }

    static LongStream sameInputSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x6_0000L, SAME_INPUT_CASES);
    }

    static LongStream curvePpmSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x7_0000L, CURVE_CASES);
    }

    static LongStream curveMonotoneSeeds() {
        return Arbitrary.seeds(BASE_SEED + 0x8_0000L, CURVE_CASES);
    }

    // ================================================================ price never decreases as utilisation rises

    /** A quote case and how much more gets reserved on the server (plus 1 GiB of disk). */
    record Growth(Case quote, int moreVcpus, int moreMemoryMib) {
        @Override
        public String toString() {
            return quote + " then reserve +" + moreVcpus + " vCPU, +" + moreMemoryMib + " MiB, +1 GiB";
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("monotoneSeeds")
    void priceNeverDecreasesAsUtilisationRises(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        Growth g = new Growth(Arbitrary.quoteCase(random), Arbitrary.intBetween(random, 1, 64),
                Arbitrary.intBetween(random, 0, 65_536));
        Arbitrary.checkSeed(seed, g, () -> assertPriceNeverDecreases(g));
    }

    static Stream<Named<Growth>> edgeGrowths() {
        Stream<Named<Growth>> fromEdgeCases = edgeCases().flatMap(n -> Stream.of(
                Named.of(n.getName() + ", +1 vCPU", new Growth(n.getPayload(), 1, 0)),
                Named.of(n.getName() + ", +64 vCPU +64 GiB", new Growth(n.getPayload(), 64, 65_536))));
        // one vCPU short of each curve point (with the request), then onto it exactly
        Stream<Named<Growth>> ontoPoints = LongStream.of(500_000, 800_000, 950_000, 1_000_000).mapToObj(ppm -> {
            ResourceVector at = atPpm(ppm);
            ResourceVector reserved = new ResourceVector(at.vcpus() - 1 - SMALL.vcpus(),
                    at.memoryMib() - SMALL.memoryMib(), at.diskGib() - 1 - SMALL.diskGib());
            return Named.of("one vCPU short of utilisation " + BigDecimal.valueOf(ppm, 6) + ", then onto it",
                    new Growth(new Case(server(CAP, reserved, Map.of()), request(SMALL, 3_600)), 1, 0));
        });
        return Stream.concat(fromEdgeCases, ontoPoints);
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeGrowths")
    void priceNeverDecreasesAsUtilisationRisesOnEdgeCases(Growth g, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), g, () -> assertPriceNeverDecreases(g));
    }

    private static void assertPriceNeverDecreases(Growth g) {
        ServerSnapshot server = g.quote().server();
        QuoteRequest request = g.quote().request();
        ServerSnapshot busier = server.withReserved(
                server.reserved().plus(new ResourceVector(g.moreVcpus(), g.moreMemoryMib(), 1)));
        Quote before = engine().priceSheet(server, NOW).quote(request, NOW);
        Quote after = engine().priceSheet(busier, NOW).quote(request, NOW);
        for (Resource r : Resource.values()) {
            assertTrue(after.unitPrices().get(r).compareTo(before.unitPrices().get(r)) >= 0,
                    r + ": " + before.unitPrices().get(r) + " -> " + after.unitPrices().get(r));
        }
        assertTrue(after.total().amount().compareTo(before.total().amount()) >= 0,
                "total: " + before.total() + " -> " + after.total());
    }

    // ================================================================ never priced below the provider's floor

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("floorSeeds")
    void neverPricedBelowTheProvidersFloor(long seed) {
        Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> assertNeverBelowFloor(c));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCases")
    void neverPricedBelowTheProvidersFloorOnEdgeCases(Case c, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), c, () -> assertNeverBelowFloor(c));
    }

    private static void assertNeverBelowFloor(Case c) {
        Quote q = engine().priceSheet(c.server(), NOW).quote(c.request(), NOW);
        c.server().floorPrices().forEach((r, floor) ->
                assertTrue(q.unitPrices().get(r).compareTo(floor) >= 0, r + " " + q.unitPrices().get(r) + " < " + floor));
    }

    // ================================================================ total and price per hour follow from unit prices

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("totalSeeds")
    void totalAndPricePerHourFollowFromTheUnitPrices(long seed) {
        Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> assertTotalsFollow(c));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCases")
    void totalAndPricePerHourFollowFromTheUnitPricesOnEdgeCases(Case c, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), c, () -> assertTotalsFollow(c));
    }

    private static void assertTotalsFollow(Case c) {
        QuoteRequest request = c.request();
        Quote q = engine().priceSheet(c.server(), NOW).quote(request, NOW);
        BigDecimal perHour = BigDecimal.ZERO;
        for (Resource r : List.of(Resource.VCPU, Resource.MEMORY, Resource.DISK)) {
            perHour = perHour.add(request.resources().quantity(r).multiply(q.unitPrices().get(r)));
        }
        BigDecimal seconds = BigDecimal.valueOf(request.duration().getSeconds());
        BigDecimal egress = BigDecimal.valueOf(request.expectedEgressGb()).multiply(q.unitPrices().get(Resource.EGRESS));
        // one division, one rounding: the definition of the total
        BigDecimal total = perHour.multiply(seconds).add(egress.multiply(BigDecimal.valueOf(3600)))
                .divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_EVEN);
        assertEquals(perHour.setScale(2, RoundingMode.HALF_EVEN), q.pricePerHour().amount(), "price per hour");
        assertEquals(total, q.total().amount(), "total");
        assertTrue(q.total().isRounded() && q.pricePerHour().isRounded(), "amounts rounded to minor units");
        q.unitPrices().forEach((r, p) -> assertEquals(PriceSheet.UNIT_PRICE_SCALE, p.scale(), r + " scale of " + p));
    }

    // ================================================================ the breakdown explains each unit price

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("breakdownSeeds")
    void breakdownExplainsEachUnitPrice(long seed) {
        Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> assertBreakdownExplains(c));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCases")
    void breakdownExplainsEachUnitPriceOnEdgeCases(Case c, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), c, () -> assertBreakdownExplains(c));
    }

    private static void assertBreakdownExplains(Case c) {
        PriceSheet sheet = engine().priceSheet(c.server(), NOW);
        Quote q = sheet.quote(c.request(), NOW);
        Set<String> ruleNames = engine().rules().stream().map(RuleDescription::name).collect(Collectors.toSet());
        for (Resource r : Resource.values()) {
            List<PriceEffect> effects = q.breakdownOf(r);
            assertEquals("base " + EffectText.price(sheet.basePrice(r)), effects.get(0).effect(), r + " first effect");
            effects.forEach(e -> assertTrue(ruleNames.contains(e.rule()), "unknown rule " + e.rule()));
            boolean spansHours = effects.stream().anyMatch(e -> e.rule().equals("Local peak hours"));
            if (spansHours) {
                continue; // weighted by time in each band: covered by the golden quotes and RulesTest
            }
            BigDecimal product = sheet.basePrice(r);
            PriceEffect floor = null;
            for (PriceEffect e : effects.subList(1, effects.size())) {
                if (e.effect().startsWith("x")) {
                    product = product.multiply(new BigDecimal(e.effect().substring(1)));
                } else if (e.effect().startsWith("floor ")) {
                    floor = e;
                }
            }
            BigDecimal rulesPrice = PriceSheet.roundUnitPrice(product);
            if (floor == null) {
                assertEquals(rulesPrice, q.unitPrices().get(r), r + " " + effects);
            } else {
                assertEquals(new BigDecimal(floor.effect().substring("floor ".length())), q.unitPrices().get(r),
                        r + " " + effects);
                assertTrue(rulesPrice.compareTo(q.unitPrices().get(r)) < 0, r + " floor shown but not binding: "
                        + effects);
            }
        }
    }

    // ================================================================ the long fast path equals the BigDecimal path

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fastPathSeeds")
    void fastLongArithmeticGivesExactlyTheBigDecimalQuote(long seed) {
        Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> assertFastEqualsExact(c));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCases")
    void fastLongArithmeticGivesExactlyTheBigDecimalQuoteOnEdgeCases(Case c, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), c, () -> assertFastEqualsExact(c));
    }

    private static void assertFastEqualsExact(Case c) {
        PriceSheet sheet = engine().priceSheet(c.server(), NOW);
        assertEquals(sheet.quoteExact(c.request(), NOW), sheet.quote(c.request(), NOW));
    }

    // ================================================================ same input, same quote

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("sameInputSeeds")
    void sameInputGivesTheSameQuote(long seed) {
        Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> assertSameQuote(c));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCases")
    void sameInputGivesTheSameQuoteOnEdgeCases(Case c, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), c, () -> assertSameQuote(c));
    }

    private static void assertSameQuote(Case c) {
        Quote first = engine().priceSheet(c.server(), NOW).quote(c.request(), NOW);
        Quote second = engine().priceSheets(List.of(c.server()), NOW).get(c.server().serverId())
                .quote(c.request(), NOW);
        assertEquals(first, second);
    }

    // ================================================================ the congestion curve

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("curvePpmSeeds")
    void curveInMillionthsAgreesWithTheDecimalFormula(long seed) {
        int ppm = Arbitrary.intBetween(Arbitrary.random(seed), 0, (int) PPM);
        Arbitrary.checkSeed(seed, "ppm=" + ppm, () -> assertCurveAgreesWithFormula(ppm));
    }

    /** 0, 1, 999,999 and 1,000,000 ppm, and every point of the curve and one ppm either side of it. */
    static Stream<Named<Integer>> edgePpms() {
        List<Integer> ppms = new ArrayList<>(List.of(0, 1, (int) PPM - 1, (int) PPM));
        for (CongestionCurve.Point p : POINTS) {
            int at = p.utilisation().movePointRight(6).intValueExact();
            for (int ppm = at - 1; ppm <= at + 1; ppm++) {
                if (ppm >= 0 && ppm <= PPM && !ppms.contains(ppm)) {
                    ppms.add(ppm);
                }
            }
        }
        return ppms.stream().map(ppm -> Named.of("ppm=" + ppm, ppm));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgePpms")
    void curveInMillionthsAgreesWithTheDecimalFormulaOnEdgeCases(int ppm, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), "ppm=" + ppm, () -> assertCurveAgreesWithFormula(ppm));
    }

    /** Every utilisation the quote path can see, 0 to 1,000,000 ppm: agrees with the formula, never falls. */
    @Test
    void curveInMillionthsAgreesWithTheDecimalFormulaAndNeverFallsAtEveryPpm() {
        BigDecimal previous = null;
        for (int ppm = 0; ppm <= PPM; ppm++) {
            int u = ppm;
            BigDecimal before = previous;
            BigDecimal m = CURVE.multiplierAtPpm(u);
            Arbitrary.check("every ppm", "ppm=" + u, () -> {
                assertCurveAgreesWithFormula(u);
                assertTrue(before == null || m.compareTo(before) >= 0, "fell from " + before + " to " + m);
            });
            previous = m;
        }
    }

    private static void assertCurveAgreesWithFormula(int ppm) {
        BigDecimal u = BigDecimal.valueOf(ppm, 6);
        int i = 1;
        while (i < POINTS.size() - 1 && u.compareTo(POINTS.get(i).utilisation()) > 0) {
            i++;
        }
        CongestionCurve.Point a = POINTS.get(i - 1);
        CongestionCurve.Point b = POINTS.get(i);
        BigDecimal expected = a.multiplier().add(b.multiplier().subtract(a.multiplier())
                .multiply(u.subtract(a.utilisation()))
                .divide(b.utilisation().subtract(a.utilisation()), 6, RoundingMode.HALF_EVEN));
        BigDecimal actual = CURVE.multiplierAtPpm(ppm);
        assertEquals(0, expected.compareTo(actual), u + ": expected " + expected + ", got " + actual);
    }

    /** Two utilisations in [0, 1.2] with 0 to 9 decimals (both the ppm and the decimal path). */
    record UtilisationPair(BigDecimal a, BigDecimal b) {
        @Override
        public String toString() {
            return "a=" + a.toPlainString() + " b=" + b.toPlainString();
        }
    }

    private static final BigDecimal MAX_UTILISATION = new BigDecimal("1.2");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("curveMonotoneSeeds")
    void congestionMultiplierNeverFallsAsUtilisationRises(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        BigDecimal a = Arbitrary.decimalBetweenZeroAnd(random, MAX_UTILISATION, 9);
        BigDecimal b;
        if (random.nextInt(4) == 0) {
            // a neighbour of a: where a local dip would show
            BigDecimal step = BigDecimal.ONE.movePointLeft(Arbitrary.intBetween(random, 1, 9));
            b = (random.nextBoolean() ? a.add(step) : a.subtract(step)).max(BigDecimal.ZERO).min(MAX_UTILISATION);
        } else {
            b = Arbitrary.decimalBetweenZeroAnd(random, MAX_UTILISATION, 9);
        }
        UtilisationPair pair = new UtilisationPair(a, b);
        Arbitrary.checkSeed(seed, pair, () -> assertMultiplierNeverFalls(pair));
    }

    /** Ends of the range, and each curve point against its neighbours at 6 and at 7 decimals. */
    static Stream<Named<UtilisationPair>> edgeUtilisationPairs() {
        List<UtilisationPair> pairs = new ArrayList<>();
        Function<String, BigDecimal> d = BigDecimal::new;
        pairs.add(new UtilisationPair(d.apply("0"), d.apply("0")));
        pairs.add(new UtilisationPair(d.apply("0"), d.apply("1.2")));
        pairs.add(new UtilisationPair(d.apply("1"), d.apply("1.2")));
        pairs.add(new UtilisationPair(d.apply("1.2"), d.apply("1.2")));
        pairs.add(new UtilisationPair(d.apply("0.9999999"), d.apply("1")));
        pairs.add(new UtilisationPair(d.apply("1"), d.apply("1.0000001")));
        pairs.add(new UtilisationPair(d.apply("0.5000005"), d.apply("0.500001")));
        pairs.add(new UtilisationPair(d.apply("0.5000004"), d.apply("0.5000005")));
        for (CongestionCurve.Point p : POINTS) {
            BigDecimal u = p.utilisation();
            for (String step : List.of("0.000001", "0.0000001", "0.000000001")) {
                BigDecimal s = d.apply(step);
                pairs.add(new UtilisationPair(u.subtract(s).max(BigDecimal.ZERO), u));
                pairs.add(new UtilisationPair(u, u.add(s)));
                pairs.add(new UtilisationPair(u.subtract(s).max(BigDecimal.ZERO), u.add(s)));
            }
        }
        return pairs.stream().map(p -> Named.of(p.toString(), p));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeUtilisationPairs")
    void congestionMultiplierNeverFallsAsUtilisationRisesOnEdgeCases(UtilisationPair pair, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), pair, () -> assertMultiplierNeverFalls(pair));
    }

    private static void assertMultiplierNeverFalls(UtilisationPair pair) {
        BigDecimal low = pair.a().min(pair.b());
        BigDecimal high = pair.a().max(pair.b());
        BigDecimal atLow = CURVE.multiplierAt(low);
        BigDecimal atHigh = CURVE.multiplierAt(high);
        assertTrue(atHigh.compareTo(atLow) >= 0, "multiplier " + atLow + " at " + low.toPlainString()
                + " but " + atHigh + " at " + high.toPlainString());
    }

    // ================================================================ edge cases of the quote properties

    /** 200 vCPU, 10^6 MiB, 20,000 GiB: a curve point's share of each is whole, and 1 MiB is 1 ppm. */
    private static final ResourceVector CAP = new ResourceVector(200, 1_000_000, 20_000);
    private static final ResourceVector SMALL = new ResourceVector(2, 4_096, 50);
    private static final ResourceVector MAX_REQUEST = new ResourceVector(64, 262_144, 5_000);
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    /** Noon in Zurich (peak hours) and 03:00 there (off-peak). */
    private static final Instant ZURICH_NOON = Instant.parse("2026-06-02T10:00:00Z");
    private static final Instant ZURICH_NIGHT = Instant.parse("2026-06-02T01:00:00Z");

    /** {@link #CAP} at a utilisation given in ppm (a multiple of 5,000 for whole vCPUs). */
    private static ResourceVector atPpm(long ppm) {
        return new ResourceVector((int) (CAP.vcpus() * ppm / PPM), CAP.memoryMib() * ppm / PPM,
                CAP.diskGib() * ppm / PPM);
    }

    private static ServerSnapshot server(ResourceVector capacity, ResourceVector reserved,
                                         Map<Resource, BigDecimal> floors) {
        return new ServerSnapshot("s", "p", "eu-west", ZURICH, capacity, reserved, floors);
    }

    private static ServerSnapshot server(String region, ZoneId zone, ResourceVector reserved) {
        return new ServerSnapshot("s", "p", region, zone, CAP, reserved, Map.of());
    }

    private static QuoteRequest request(ResourceVector resources, long seconds) {
        return new QuoteRequest(resources, 10, ServiceClass.RESERVED, ZURICH_NIGHT, Duration.ofSeconds(seconds), null);
    }

    private static QuoteRequest request(ResourceVector resources, long egressGb, ServiceClass c, Instant start,
                                        long seconds, String sponsor) {
        return new QuoteRequest(resources, egressGb, c, start, Duration.ofSeconds(seconds), sponsor);
    }

    /**
     * Utilisation 0 and full (and over full), exactly at each curve point and one ppm either side,
     * zero capacity, the smallest and largest servers and requests, 1-second to 100-year leases,
     * starts on and around every daylight-saving transition of the zones, every class and sponsor, and
     * floors equal to, just under, just above and far above the price the rules compute.
     */
    static Stream<Named<Case>> edgeCases() {
        List<Named<Case>> cases = new ArrayList<>();
        ServerSnapshot half = server(CAP, atPpm(500_000), Map.of());

        // utilisation: idle, full, over capacity, exactly filled by the request
        cases.add(Named.of("idle server, empty request, 1 s",
                new Case(server(CAP, ResourceVector.ZERO, Map.of()), request(ResourceVector.ZERO, 0,
                        ServiceClass.RESERVED, ZURICH_NIGHT, 1, null))));
        cases.add(Named.of("idle server, small request",
                new Case(server(CAP, ResourceVector.ZERO, Map.of()), request(SMALL, 3_600))));
        cases.add(Named.of("full server, empty request",
                new Case(server(CAP, CAP, Map.of()), request(ResourceVector.ZERO, 3_600))));
        cases.add(Named.of("full server, small request (over capacity)",
                new Case(server(CAP, CAP, Map.of()), request(SMALL, 3_600))));
        cases.add(Named.of("request fills the server exactly",
                new Case(server(CAP, new ResourceVector(CAP.vcpus() - SMALL.vcpus(), CAP.memoryMib()
                        - SMALL.memoryMib(), CAP.diskGib() - SMALL.diskGib()), Map.of()), request(SMALL, 3_600))));
        // utilisation (request included) exactly at each curve point, and one ppm of memory either side
        for (long ppm : new long[] {500_000, 800_000, 950_000, 1_000_000}) {
            for (long delta = -1; delta <= 1; delta++) {
                if (ppm + delta > PPM) {
                    continue;
                }
                ResourceVector at = atPpm(ppm);
                ResourceVector reserved = new ResourceVector(at.vcpus() - SMALL.vcpus(),
                        at.memoryMib() - SMALL.memoryMib() + delta, at.diskGib() - SMALL.diskGib());
                String name = "utilisation " + BigDecimal.valueOf(ppm, 6)
                        + (delta == 0 ? " exactly" : " (memory " + (delta < 0 ? "one ppm below)" : "one ppm above)"));
                cases.add(Named.of(name, new Case(server(CAP, reserved, Map.of()),
                        request(SMALL, 100, ServiceClass.BEST_EFFORT, ZURICH_NOON, 3_600, "a0000000-0000-4000-8000-00000000000a"))));
            }
        }
        // sizes: no disk at all, smallest server with the largest request, largest server
        cases.add(Named.of("no disk capacity, no disk requested",
                new Case(server(new ResourceVector(8, 8_192, 0), ResourceVector.ZERO, Map.of()),
                        request(new ResourceVector(1, 1_024, 0), 3_600))));
        cases.add(Named.of("no disk capacity, disk requested",
                new Case(server(new ResourceVector(8, 8_192, 0), ResourceVector.ZERO, Map.of()),
                        request(new ResourceVector(1, 1_024, 10), 3_600))));
        cases.add(Named.of("smallest server, largest request and egress",
                new Case(server(new ResourceVector(1, 512, 0), ResourceVector.ZERO, Map.of()),
                        request(MAX_REQUEST, 100_000, ServiceClass.RESERVED, ZURICH_NOON,
                                Arbitrary.MAX_COMMON_DURATION_SECONDS, "b0000000-0000-4000-8000-00000000000b"))));
        cases.add(Named.of("largest server, idle, largest request",
                new Case(server(new ResourceVector(256, 1_048_576, 20_000), ResourceVector.ZERO, Map.of()),
                        request(MAX_REQUEST, 100_000, ServiceClass.BEST_EFFORT, ZURICH_NOON, 86_400, null))));
        // lease lengths: 1 second up to 100 years, around each duration tier
        long[] durations = {1, 2, 3_599, 3_600, 24 * 3_600 - 1, 24 * 3_600, 168 * 3_600, 720 * 3_600,
                Arbitrary.MAX_COMMON_DURATION_SECONDS, Arbitrary.MAX_COMMON_DURATION_SECONDS + 1, 365L * 86_400,
                10L * 365 * 86_400, Arbitrary.MAX_DURATION_SECONDS};
        for (long seconds : durations) {
            cases.add(Named.of("duration " + seconds + " s from noon",
                    new Case(half, request(SMALL, 7, ServiceClass.RESERVED, ZURICH_NOON, seconds, "a0000000-0000-4000-8000-00000000000a"))));
        }
        cases.add(Named.of("100-year lease of the largest request on a full server, Chatham",
                new Case(server("ap-south", ZoneId.of("Pacific/Chatham"), CAP), request(MAX_REQUEST, 100_000,
                        ServiceClass.RESERVED, NOW, Arbitrary.MAX_DURATION_SECONDS, "b0000000-0000-4000-8000-00000000000b"))));
        cases.add(Named.of("latest start (NOW + 366 days), 60 days",
                new Case(half, request(SMALL, 10, ServiceClass.RESERVED,
                        NOW.plusSeconds(Arbitrary.START_WINDOW_SECONDS), Arbitrary.MAX_COMMON_DURATION_SECONDS, null))));
        // starts on and around daylight-saving transitions of every zone that has them
        long[][] aroundTransition = {{-1, 1}, {-1, 2}, {0, 1}, {-1_800, 3_600}, {-3_600, 86_400},
                {-12 * 3_600, 7 * 86_400}};
        for (String zoneName : Arbitrary.ZONES) {
            ZoneId zone = ZoneId.of(zoneName);
            for (Instant t : Arbitrary.transitionsInWindow(zone)) {
                for (long[] around : aroundTransition) {
                    cases.add(Named.of(zoneName + ": start " + around[0] + " s from the transition at " + t + ", "
                                    + around[1] + " s",
                            new Case(server("sa-east", zone, atPpm(800_000)), request(SMALL, 1,
                                    ServiceClass.RESERVED, t.plusSeconds(around[0]), around[1], "a0000000-0000-4000-8000-00000000000a"))));
                }
            }
        }
        // every class with every kind of sponsor
        for (ServiceClass c : ServiceClass.values()) {
            for (String sponsor : new String[] {null, "a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-unknown"}) {
                cases.add(Named.of(c + " for sponsor " + sponsor, new Case(server("ap-south", ZURICH, atPpm(950_000)),
                        request(SMALL, 10, c, ZURICH_NIGHT, 3_600, sponsor))));
            }
        }

        // floors equal to, just under, just above and far above the price the rules give (all four resources)
        List<Named<Case>> floorBases = List.of(cases.get(0), cases.get(3),
                Named.of("half full at noon", new Case(half, request(SMALL, 10, ServiceClass.RESERVED, ZURICH_NOON,
                        3_600, null))),
                Named.of("half full, across peak hours", new Case(half, request(SMALL, 10, ServiceClass.BEST_EFFORT,
                        ZURICH_NIGHT, 30 * 3_600, "a0000000-0000-4000-8000-00000000000a"))),
                Named.of("half full, 1 s", new Case(half, request(SMALL, 10, ServiceClass.BEST_EFFORT, ZURICH_NOON,
                        1, "b0000000-0000-4000-8000-00000000000b"))));
        BigDecimal step7 = new BigDecimal("0.0000001");
        BigDecimal step6 = new BigDecimal("0.000001");
        Map<String, Function<BigDecimal, BigDecimal>> floorings = new java.util.LinkedHashMap<>();
        floorings.put("floors equal to the computed prices", p -> p);
        floorings.put("floors one 7th decimal under the computed prices", p -> p.subtract(step7).max(BigDecimal.ZERO));
        floorings.put("floors one 7th decimal above the computed prices", p -> p.add(step7));
        floorings.put("floors one micro-unit above the computed prices", p -> p.add(step6));
        floorings.put("floors far above the computed prices", p -> new BigDecimal("1000"));
        floorings.put("zero floors", p -> BigDecimal.ZERO);
        for (Named<Case> base : floorBases) {
            Case c = base.getPayload();
            Quote unfloored = engine().priceSheet(c.server(), NOW).quote(c.request(), NOW);
            floorings.forEach((name, floorOf) -> {
                Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
                unfloored.unitPrices().forEach((r, p) -> floors.put(r, floorOf.apply(p)));
                ServerSnapshot s = c.server();
                cases.add(Named.of(base.getName() + ", " + name, new Case(new ServerSnapshot(s.serverId(),
                        s.providerId(), s.regionCode(), s.zone(), s.capacity(), s.reserved(), floors), c.request())));
            });
        }
        return cases.stream();
    }
}
