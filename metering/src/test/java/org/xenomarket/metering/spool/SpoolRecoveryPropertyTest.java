package org.xenomarket.metering.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.metering.spool.SpoolFixture.appendAll;
import static org.xenomarket.metering.spool.SpoolFixture.lastSegment;
import static org.xenomarket.metering.spool.SpoolFixture.open;
import static org.xenomarket.metering.spool.SpoolFixture.pendingSequences;
import static org.xenomarket.metering.spool.SpoolFixture.range;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenomarket.metering.Arbitrary;
import org.xenomarket.metering.testing.TestRecords;

/**
 * A crash can cut the spool's last segment anywhere after its last fsynced frame, but a torn
 * write can only ever affect the frame being written. So for any number of records and any cut
 * inside the last frame, recovery must return exactly the records before it.
 */
class SpoolRecoveryPropertyTest {

    private static final long BASE_SEED = 0x5350_4F4F_0000_0000L; // "SPOO"
    private static final int CASES = 60;
    private static final int MAX_RECORDS = 80;

    /** How many records the spool holds and how much of the last one's frame a crash tore off. */
    record Crash(int records, int cutPermille) {
    }

    static LongStream seeds() {
        return Arbitrary.seeds(BASE_SEED, CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void recoveryKeepsEveryRecordBeforeATornLastFrame(long seed, @TempDir Path dir) {
        RandomGenerator random = Arbitrary.random(seed);
        Crash crash = new Crash(Arbitrary.intBetween(random, 1, MAX_RECORDS), Arbitrary.cutPermille(random));
        Arbitrary.checkSeed(seed, crash, () -> assertRecoveryKeepsTheRecordsBeforeTheCut(crash, dir));
    }

    /**
     * One record, the most, and either side of the segment roll-over (where the torn frame may be
     * alone in its segment), each left intact, cut by the least, the most short of all, and all.
     */
    static Stream<Crash> edgeCrashes() {
        int perSegment = recordsPerSegment();
        List<Crash> crashes = new ArrayList<>();
        for (int records : new int[] {1, 2, perSegment, perSegment + 1, MAX_RECORDS}) {
            for (int cutPermille : new int[] {0, 1, 999, 1_000}) {
                crashes.add(new Crash(records, cutPermille));
            }
        }
        return crashes.stream();
    }

    @ParameterizedTest(name = "edge case: {0}")
    @MethodSource("edgeCrashes")
    void recoveryKeepsEveryRecordBeforeATornLastFrameOnEdgeCrashes(Crash crash, @TempDir Path dir,
                                                                   TestInfo test) {
        Arbitrary.check(test.getDisplayName(), crash, () -> assertRecoveryKeepsTheRecordsBeforeTheCut(crash, dir));
    }

    @Test
    void theRollOverEdgeCaseReallyStartsASecondSegment(@TempDir Path dir) throws Exception {
        int perSegment = recordsPerSegment();
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, perSegment);
            assertEquals(1, SpoolFixture.segmentFiles(dir).size(), perSegment + " records fill one segment");
            appendAll(spool, perSegment + 1, perSegment + 1);
            assertEquals(2, SpoolFixture.segmentFiles(dir).size(), "record " + (perSegment + 1) + " starts another");
        }
    }

    private static void assertRecoveryKeepsTheRecordsBeforeTheCut(Crash crash, Path dir) throws Exception {
        int records = crash.records();
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, records);
        }
        Path segment = lastSegment(dir);
        int frame = SpoolFixture.frameLength(TestRecords.record(records));
        long size = Files.size(segment);
        long cut = (long) frame * crash.cutPermille() / 1_000; // 0 = intact, frame = whole last frame gone
        UsageSpoolTest.truncate(segment, size - cut);

        try (UsageSpool spool = open(dir)) {
            long expectedLast = cut == 0 ? records : records - 1;
            assertEquals(range(1, expectedLast), pendingSequences(spool), "cut " + cut + " of a " + frame
                    + "-byte frame");
        }
    }

    /** How many test records fit the first segment, counted the way the spool lays them out. */
    private static int recordsPerSegment() {
        long used = FrameFormat.HEADER_LENGTH;
        int count = 0;
        while (used + SpoolFixture.frameLength(TestRecords.record(count + 1)) <= SpoolFixture.SEGMENT) {
            used += SpoolFixture.frameLength(TestRecords.record(count + 1));
            count++;
        }
        return count;
    }
}
