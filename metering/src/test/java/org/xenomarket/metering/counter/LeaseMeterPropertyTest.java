package org.xenomarket.metering.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenomarket.metering.Arbitrary;
import org.xenomarket.metering.Arbitrary.GuestStep;

/**
 * A simulated guest uses known amounts of each resource, restarts at random (its counters
 * starting again from zero), and is cut into records at random points, some of which fail to be
 * recorded. Whatever happens, the records must add up to exactly what the guest used and meet
 * end to end.
 */
class LeaseMeterPropertyTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final int COUNTERS = Arbitrary.GUEST_COUNTERS;

    private static final long BASE_SEED = 0x4C45_4153_0000_0000L; // "LEAS"
    private static final int CASES = 500;

    static LongStream seeds() {
        return Arbitrary.seeds(BASE_SEED, CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void recordsAddUpToTheGroundTruthAndMeetEndToEnd(long seed) {
        List<GuestStep> run = Arbitrary.guestRun(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, run, () -> assertRecordsAddUpAndMeet(run));
    }

    static Stream<Named<List<GuestStep>>> edgeRuns() {
        List<Long> none = Collections.nCopies(COUNTERS, 0L);
        List<Long> most = Collections.nCopies(COUNTERS, 1_000_000_000_000L);
        List<Boolean> noRestart = Collections.nCopies(COUNTERS, false);
        List<Boolean> allRestart = Collections.nCopies(COUNTERS, true);
        GuestStep idleMillisecond = new GuestStep(none, noRestart, 0, 1, false, false);
        GuestStep busiest = new GuestStep(most, noRestart, 1L << 20, 120_000, true, true);
        GuestStep busiestUnrecorded = new GuestStep(most, noRestart, 1L << 20, 120_000, true, false);
        GuestStep restartToZero = new GuestStep(none, allRestart, 7, 1_000, false, false);
        GuestStep restartToOne = new GuestStep(Collections.nCopies(COUNTERS, 1L), allRestart, 0, 999, true, true);
        GuestStep littleCutEveryMs = new GuestStep(Collections.nCopies(COUNTERS, 1L), noRestart, 1, 1, true, true);
        return Stream.of(
                Named.of("empty run", List.of()),
                Named.of("single idle sample", List.of(idleMillisecond)),
                Named.of("single busiest sample, recorded", List.of(busiest)),
                Named.of("single sample, restart of zeroed counters", List.of(restartToZero)),
                Named.of("restart straight back to zero after use", List.of(busiest, restartToZero, idleMillisecond)),
                Named.of("visible restarts to one and to zero between busy steps",
                        List.of(busiest, restartToOne, busiestUnrecorded, restartToOne, restartToZero)),
                Named.of("120 busiest steps, all recorded", Collections.nCopies(120, busiest)),
                Named.of("120 busiest steps, every recording fails", Collections.nCopies(120, busiestUnrecorded)),
                Named.of("120 idle steps", Collections.nCopies(120, idleMillisecond)),
                Named.of("a record every millisecond, each under one MiB·s", Collections.nCopies(120, littleCutEveryMs)));
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeRuns")
    void recordsAddUpOnEdgeRuns(List<GuestStep> run, TestInfo test) {
        Arbitrary.check(test.getDisplayName(), run, () -> assertRecordsAddUpAndMeet(run));
    }

    private static void assertRecordsAddUpAndMeet(List<GuestStep> run) {
        long[] counters = new long[COUNTERS];
        long[] truth = new long[COUNTERS];
        long truthHalfMibMillis = 0;
        long memory = 0;
        Instant now = START;
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(START));
        List<LeaseUsage> records = new ArrayList<>();

        for (GuestStep step : run) {
            for (int k = 0; k < COUNTERS; k++) {
                long used = step.used().get(k);
                // A restart shows only if the counter comes back below its old value; otherwise
                // no one (hypervisor included) can tell it from steady use, so don't simulate one.
                boolean visibleRestart = step.restarted().get(k) && used < counters[k];
                counters[k] = visibleRestart ? used : counters[k] + used;
                truth[k] += used;
            }
            truthHalfMibMillis += (memory + step.memoryMib()) * step.millis();
            memory = step.memoryMib();
            now = now.plusMillis(step.millis());
            meter.observe(new CounterSample(now, counters[0], memory, counters[1], counters[2], counters[3],
                    counters[4]));
            if (step.cut()) {
                Optional<LeaseUsage> pending = meter.pending();
                assertTrue(pending.isPresent(), "time passed, so something is pending");
                if (step.recorded()) {
                    records.add(pending.get());
                    meter.commit(pending.get());
                }
            }
        }
        meter.pending().ifPresent(last -> {
            records.add(last);
            meter.commit(last);
        });
        assertEquals(Optional.empty(), meter.pending(), "nothing is left pending after the last commit");

        Usage total = records.stream().map(LeaseUsage::usage).reduce(Usage.NONE, Usage::plus);
        assertEquals(truth[0], total.cpuNanos(), "cpu");
        assertEquals(truth[1], total.netRxBytes(), "net rx");
        assertEquals(truth[2], total.netTxBytes(), "net tx");
        assertEquals(truth[3], total.diskReadBytes(), "disk read");
        assertEquals(truth[4], total.diskWriteBytes(), "disk write");
        assertEquals(truthHalfMibMillis / 2000, total.memoryMibSeconds(), "memory, rounded down once");

        if (run.isEmpty()) {
            assertEquals(List.of(), records, "no time passed, so there is nothing to record");
            return;
        }
        assertEquals(START, records.get(0).interval().t0());
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i - 1).interval().isFollowedBy(records.get(i).interval()),
                    "record " + i + " starts where record " + (i - 1) + " ends");
        }
        assertEquals(now, records.get(records.size() - 1).interval().t1());
    }
}
