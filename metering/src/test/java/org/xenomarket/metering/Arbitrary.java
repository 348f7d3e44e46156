package org.xenomarket.metering;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageStatement;

/**
 * Seeded generators for the module's property tests, in plain JUnit 5.
 *
 * <p>A property test takes its cases from {@link #seeds(long, int)}: a fixed base seed plus the
 * case index. Each case builds its whole input from {@link #random(long)} of its seed alone, so a
 * failing seed regenerates exactly the failing input on every run and machine, and
 * {@link #check} puts that seed and the input in the failure message.
 *
 * <p>Number generators pick the ends of their range (and zero, when in range) about one time in
 * eight, because that is where the off-by-one and overflow bugs are; uniformly drawn values
 * would almost never hit them.
 */
public final class Arbitrary {

    /** Printable ASCII without space: the characters identifiers may use. */
    public static final char FIRST_ID_CHAR = '!';
    public static final char LAST_ID_CHAR = '~';

    private Arbitrary() {
    }

    /** Executable body of one case; may throw anything, which {@link #check} reports with the case. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** The seeds {@code base, base + 1, ..., base + count - 1}: one per case. */
    public static LongStream seeds(long base, int count) {
        return LongStream.range(0, count).map(i -> base + i);
    }

    /** The generator a case with this seed draws its whole input from. */
    public static RandomGenerator random(long seed) {
        return new SplittableRandom(seed);
    }

    /**
     * Runs {@code body} for the case {@code name} (e.g. {@code "seed 42"}) on {@code input}; any
     * failure is rethrown as an {@link AssertionError} naming the case and printing the input, with
     * the original failure as its cause.
     */
    public static void check(String name, Object input, Body body) {
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
    public static void checkSeed(long seed, Object input, Body body) {
        check("seed " + seed, input, body);
    }

    // ---------------------------------------------------------------- numbers and choices

    /** A long in {@code [min, max]}, inclusive at both ends, with the ends (and 0) over-represented. */
    public static long longBetween(RandomGenerator random, long min, long max) {
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
    public static int intBetween(RandomGenerator random, int min, int max) {
        return (int) longBetween(random, min, max);
    }

    /** True with probability {@code weightTrue / (weightTrue + weightFalse)}. */
    public static boolean weighted(RandomGenerator random, int weightTrue, int weightFalse) {
        return random.nextInt(weightTrue + weightFalse) < weightTrue;
    }

    /** Between {@code minSize} and {@code maxSize} elements (both over-represented), each from {@code element}. */
    public static <T> List<T> listOf(RandomGenerator random, int minSize, int maxSize,
                                     Function<RandomGenerator, T> element) {
        int size = intBetween(random, minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    // ---------------------------------------------------------------- record fields

    /** A valid identifier of printable ASCII without spaces, {@code minLength} to {@code maxLength} long. */
    public static String identifier(RandomGenerator random, int minLength, int maxLength) {
        int length = intBetween(random, minLength, maxLength);
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append((char) intBetween(random, FIRST_ID_CHAR, LAST_ID_CHAR));
        }
        return id.toString();
    }

    /** {@code [t0, t0 + length)} with {@code t0} in {@code [0, 4e12]} ms and length 1 ms to a day. */
    public static Interval interval(RandomGenerator random) {
        long t0 = longBetween(random, 0, 4_000_000_000_000L);
        long length = longBetween(random, 1, 86_400_000L);
        return Interval.ofEpochMillis(t0, t0 + length);
    }

    /** Every quantity anywhere in {@code [0, Long.MAX_VALUE]}. */
    public static Usage usage(RandomGenerator random) {
        return new Usage(amount(random), amount(random), amount(random), amount(random), amount(random),
                amount(random));
    }

    private static long amount(RandomGenerator random) {
        return longBetween(random, 0, Long.MAX_VALUE);
    }

    /** A usage statement as a node could sign it: ids of 1 to 40 characters, any sequence, interval and usage. */
    public static UsageStatement statement(RandomGenerator random) {
        String nodeId = identifier(random, 1, 40);
        long sequence = longBetween(random, 1, Long.MAX_VALUE);
        String leaseId = identifier(random, 1, 40);
        return new UsageStatement(nodeId, sequence, leaseId, interval(random), usage(random));
    }

    // ---------------------------------------------------------------- simulated guests

    /** Counters a simulated guest exposes (cpu, net rx, net tx, disk read, disk write). */
    public static final int GUEST_COUNTERS = 5;

    /**
     * One sampling period of a simulated guest: what it used of each counter, which counters it
     * reset (guest restart), its memory gauge at the end, how long the period was, and whether the
     * meter is cut into a record after it and, if so, whether recording that record succeeds.
     */
    public record GuestStep(List<Long> used, List<Boolean> restarted, long memoryMib, long millis, boolean cut,
                            boolean recorded) {

        public GuestStep {
            used = List.copyOf(used);
            restarted = List.copyOf(restarted);
            if (used.size() != GUEST_COUNTERS || restarted.size() != GUEST_COUNTERS) {
                throw new IllegalArgumentException("one entry per counter");
            }
        }

        @Override
        public String toString() {
            return "{used=" + used + " restarted=" + restarted + " memMib=" + memoryMib + " ms=" + millis
                    + (cut ? (recorded ? " cut+recorded" : " cut,recording-failed") : "") + "}";
        }
    }

    /**
     * A guest's run of 1 to 120 steps: each counter uses either a little (up to 1000) or a lot (up
     * to 10^12) per step and is reset one step in ten; memory up to 1 TiB in MiB; steps of 1 ms to
     * 2 minutes; a cut after half the steps, and one cut in five fails to be recorded.
     */
    public static List<GuestStep> guestRun(RandomGenerator random) {
        return listOf(random, 1, 120, Arbitrary::guestStep);
    }

    public static GuestStep guestStep(RandomGenerator random) {
        List<Long> used = new ArrayList<>(GUEST_COUNTERS);
        List<Boolean> restarted = new ArrayList<>(GUEST_COUNTERS);
        for (int k = 0; k < GUEST_COUNTERS; k++) {
            used.add(random.nextBoolean() ? longBetween(random, 0, 1_000) : longBetween(random, 0, 1_000_000_000_000L));
        }
        for (int k = 0; k < GUEST_COUNTERS; k++) {
            restarted.add(weighted(random, 1, 9));
        }
        long memoryMib = longBetween(random, 0, 1L << 20);
        long millis = longBetween(random, 1, 120_000);
        boolean cut = random.nextBoolean();
        boolean recorded = weighted(random, 4, 1);
        return new GuestStep(used, restarted, memoryMib, millis, cut, recorded);
    }

    // ---------------------------------------------------------------- crash cuts

    /** Where a crash cuts the frame being written, in thousandths of it: 0 (intact) to 1000 (all gone). */
    public static int cutPermille(RandomGenerator random) {
        return intBetween(random, 0, 1_000);
    }
}
