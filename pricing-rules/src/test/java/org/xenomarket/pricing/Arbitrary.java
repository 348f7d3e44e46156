package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;

/**
 * Seeded generators for the module's property tests, in plain JUnit 5 (the same pattern as the
 * metering module's).
 *
 * <p>A property test takes its cases from {@link #seeds(long, int)}: a fixed base seed plus the
 * case index. Each case builds its whole input from {@link #random(long)} of its seed alone, so a
 * failing seed regenerates exactly the failing input on every run and machine, and
 * {@link #check} puts that seed and the input in the failure message.
 *
 * <p>Number generators pick the ends of their range (and zero, when in range) about one time in
 * eight, because that is where the off-by-one and overflow bugs are; uniformly drawn values
 * would almost never hit them. Servers are filled to exactly a congestion-curve point one time in
 * eight, and lease starts fall next to a daylight-saving transition of the server's zone one time
 * in eight.
 */
final class Arbitrary {

    /** The moment every generated sheet and quote is priced at; lease starts lie up to 366 days after it. */
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final long START_WINDOW_SECONDS = 366L * 86_400;
    /** The longest duration drawn in the common range (60 days); one case in sixteen draws a longer one. */
    static final long MAX_COMMON_DURATION_SECONDS = 60L * 86_400;
    /** The longest duration drawn at all: 100 years. */
    static final long MAX_DURATION_SECONDS = 100L * 365 * 86_400;

    static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south", "sa-east", "af-south");
    static final List<String> ZONES = List.of("Europe/Zurich", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe", "UTC", "Pacific/Chatham");
    static final List<String> SPONSORS = List.of("a0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b", "sponsor-unknown");
    /** The utilisations of the built-in congestion curve's points, as shares a server is filled to. */
    static final double[] CURVE_SHARES = {0, 0.5, 0.8, 0.95, 1};

    private Arbitrary() {
    }

    /** Executable body of one case; may throw anything, which {@link #check} reports with the case. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    /** The seeds {@code base, base + 1, ..., base + count - 1}: one per case. */
    static LongStream seeds(long base, int count) {
        return LongStream.range(0, count).map(i -> base + i);
    }

    /** The generator a case with this seed draws its whole input from. */
    static RandomGenerator random(long seed) {
        return new SplittableRandom(seed);
    }

    /**
     * Runs {@code body} for the case {@code name} (e.g. {@code "seed 42"}) on {@code input}; any
     * failure is rethrown as an {@link AssertionError} naming the case and printing the input, with
     * the original failure as its cause.
     */
    static void check(String name, Object input, Body body) {
        try {
            body.run();
        } catch (Throwable failure) {
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            throw new AssertionError("property failed for " + name + "\n  input: " + input
                    + "\n  failure: " + failure, failure);
        }
    }

    /** {@link #check} for the random case of {@code seed}. */
    static void checkSeed(long seed, Object input, Body body) {
        check("seed " + seed, input, body);
    }

    // ---------------------------------------------------------------- numbers and choices

    /** A long in {@code [min, max]}, inclusive at both ends, with the ends (and 0) over-represented. */
    static long longBetween(RandomGenerator random, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        if (random.nextInt(8) == 0) {
            long[] edges = {min, min == max ? min : min + 1, max == min ? max : max - 1, max,
                    min <= 0 && 0 <= max ? 0 : min};
            return edges[random.nextInt(edges.length)];
        }
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        if (min > Long.MIN_VALUE) {
            return random.nextLong(min - 1, max) + 1;
        }
        return random.nextLong();
    }

    /** An int in {@code [min, max]}, inclusive, with the ends (and 0) over-represented. */
    static int intBetween(RandomGenerator random, int min, int max) {
        return (int) longBetween(random, min, max);
    }

    /** True with probability {@code weightTrue / (weightTrue + weightFalse)}. */
    static boolean weighted(RandomGenerator random, int weightTrue, int weightFalse) {
        return random.nextInt(weightTrue + weightFalse) < weightTrue;
    }

    static <T> T oneOf(RandomGenerator random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    static <T> T oneOf(RandomGenerator random, T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    /**
     * A decimal in {@code [0, max]} with 0 to {@code maxScale} decimals (the scale drawn first, so
     * short and long decimals are equally likely), the ends over-represented.
     */
    static BigDecimal decimalBetweenZeroAnd(RandomGenerator random, BigDecimal max, int maxScale) {
        int scale = intBetween(random, 0, maxScale);
        long maxUnscaled = max.movePointRight(scale).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        return BigDecimal.valueOf(longBetween(random, 0, maxUnscaled), scale);
    }

    // ---------------------------------------------------------------- pricing inputs

    /** A server and a request to quote on it: the input of a quote property. */
    record Case(ServerSnapshot server, QuoteRequest request) {

        @Override
        public String toString() {
            return "server{region=" + server.regionCode() + " zone=" + server.zone() + " capacity="
                    + vector(server.capacity()) + " reserved=" + vector(server.reserved()) + " floors="
                    + server.floorPrices() + "} request{resources=" + vector(request.resources()) + " egressGb="
                    + request.expectedEgressGb() + " class=" + request.serviceClass() + " start=" + request.start()
                    + " durationS=" + request.duration().getSeconds() + " sponsor=" + request.sponsorId() + "}";
        }

        private static String vector(ResourceVector v) {
            return "(" + v.vcpus() + " vCPU, " + v.memoryMib() + " MiB, " + v.diskGib() + " GiB)";
        }
    }

    /** A server and, independently of it except for the lease start, a request. */
    static Case quoteCase(RandomGenerator random) {
        ServerSnapshot server = server(random);
        return new Case(server, request(random, server.zone()));
    }

    /**
     * Capacity 1..256 vCPU, 512 MiB..1 TiB, 0..20,000 GiB disk; reserved a share of it (exactly a
     * curve point one time in eight); one of five regions, one of six zones; floors for up to four
     * resources, each 0..0.2 at 7 decimals.
     */
    static ServerSnapshot server(RandomGenerator random) {
        ResourceVector capacity = new ResourceVector(intBetween(random, 1, 256),
                longBetween(random, 512, 1_048_576), longBetween(random, 0, 20_000));
        double share = random.nextInt(8) == 0 ? CURVE_SHARES[random.nextInt(CURVE_SHARES.length)]
                : random.nextDouble();
        String region = oneOf(random, REGIONS);
        ZoneId zone = ZoneId.of(oneOf(random, ZONES));
        return new ServerSnapshot("s", "p", region, zone, capacity, scaled(capacity, share), floors(random));
    }

    /** Floors for 0 to 4 distinct resources, each in [0, 0.2] at 7 decimals (finer than a unit price). */
    static Map<Resource, BigDecimal> floors(RandomGenerator random) {
        List<Resource> resources = new ArrayList<>(Arrays.asList(Resource.values()));
        int size = intBetween(random, 0, resources.size());
        Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
        for (int i = 0; i < size; i++) {
            Resource r = resources.remove(random.nextInt(resources.size()));
            floors.put(r, BigDecimal.valueOf(longBetween(random, 0, 2_000_000), 7));
        }
        return floors;
    }

    /** Test data only: a share of capacity, not money. */
    static ResourceVector scaled(ResourceVector cap, double share) {
        return new ResourceVector((int) Math.floor(cap.vcpus() * share), (long) Math.floor(cap.memoryMib() * share),
                (long) Math.floor(cap.diskGib() * share));
    }

    /**
     * 0..64 vCPU, 0..256 GiB in MiB, 0..5,000 GiB disk, 0..100,000 GB egress, either class; a start in
     * the 366 days after {@link #NOW} (next to a daylight-saving transition of {@code zone} one time in
     * eight); 1 second to 60 days (to 100 years one time in sixteen); a known, unknown or no sponsor (30%).
     */
    static QuoteRequest request(RandomGenerator random, ZoneId zone) {
        ResourceVector resources = new ResourceVector(intBetween(random, 0, 64), longBetween(random, 0, 262_144),
                longBetween(random, 0, 5_000));
        long egress = longBetween(random, 0, 100_000);
        ServiceClass serviceClass = oneOf(random, ServiceClass.values());
        Instant start = start(random, zone);
        long seconds = random.nextInt(16) == 0
                ? longBetween(random, MAX_COMMON_DURATION_SECONDS, MAX_DURATION_SECONDS)
                : longBetween(random, 1, MAX_COMMON_DURATION_SECONDS);
        String sponsor = weighted(random, 3, 7) ? null : oneOf(random, SPONSORS);
        return new QuoteRequest(resources, egress, serviceClass, start, Duration.ofSeconds(seconds), sponsor);
    }

    private static Instant start(RandomGenerator random, ZoneId zone) {
        List<Instant> transitions = transitionsInWindow(zone);
        if (!transitions.isEmpty() && random.nextInt(8) == 0) {
            return oneOf(random, transitions).plusSeconds(longBetween(random, -2 * 3_600, 2 * 3_600));
        }
        return NOW.plusSeconds(longBetween(random, 0, START_WINDOW_SECONDS));
    }

    /** The daylight-saving (or other offset) transitions of a zone between {@link #NOW} and the end of the start window. */
    static List<Instant> transitionsInWindow(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        Instant end = NOW.plusSeconds(START_WINDOW_SECONDS);
        List<Instant> out = new ArrayList<>();
        for (ZoneOffsetTransition t = rules.nextTransition(NOW); t != null && t.getInstant().isBefore(end);
             t = rules.nextTransition(t.getInstant())) {
            out.add(t.getInstant());
        }
        return out;
    }
}
