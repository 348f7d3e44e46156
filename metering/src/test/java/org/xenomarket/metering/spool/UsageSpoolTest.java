package org.xenomarket.metering.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.metering.spool.SpoolFixture.appendAll;
import static org.xenomarket.metering.spool.SpoolFixture.frameLength;
import static org.xenomarket.metering.spool.SpoolFixture.lastSegment;
import static org.xenomarket.metering.spool.SpoolFixture.open;
import static org.xenomarket.metering.spool.SpoolFixture.pendingSequences;
import static org.xenomarket.metering.spool.SpoolFixture.range;
import static org.xenomarket.metering.spool.SpoolFixture.segmentFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.testing.TestRecords;

class UsageSpoolTest {

    @TempDir
    Path dir;

    @Test
    void recordsComeBackOldestFirstInBatchesUntilAcknowledged() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 7);
            List<UsageRecord> batch = spool.nextBatch(3);
            assertEquals(List.of(TestRecords.record(1), TestRecords.record(2), TestRecords.record(3)), batch);
            assertEquals(batch, spool.nextBatch(3), "unacknowledged records are offered again");
            spool.acknowledge(List.of(1L, 2L, 3L));
            assertEquals(List.of(4L, 5L, 6L), pendingSequences(spool).subList(0, 3));
            assertEquals(4, spool.pendingCount());
        }
    }

    @Test
    void recordsSurviveAReopen() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 60);
        }
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(1, 60), pendingSequences(spool));
            assertEquals(TestRecords.record(42), spool.nextBatch(60).get(41));
            assertEquals(60, spool.highestSequence().orElseThrow());
        }
    }

    @Test
    void segmentsWhoseRecordsAreAllAcknowledgedAreDeleted() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 100);
            int segmentsBefore = segmentFiles(dir).size();
            long usedBefore = spool.usedBytes();
            assertTrue(segmentsBefore >= 4, "records span several segments: " + segmentsBefore);

            spool.acknowledge(range(1, 60));
            assertTrue(segmentFiles(dir).size() < segmentsBefore);
            assertTrue(spool.usedBytes() < usedBefore);
            assertEquals(range(61, 100), pendingSequences(spool));

            spool.acknowledge(range(61, 100));
            assertEquals(1, segmentFiles(dir).size(), "only the emptied active segment is left");
            assertEquals(FrameFormat.HEADER_LENGTH, spool.usedBytes());
            assertEquals(FrameFormat.HEADER_LENGTH, Files.size(lastSegment(dir)));
        }
    }

    @Test
    void afterAReopenUnacknowledgedRecordsAreAllStillThere() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 100);
            spool.acknowledge(range(1, 60));
        }
        try (UsageSpool spool = open(dir)) {
            List<Long> pending = pendingSequences(spool);
            // Acknowledgements live in memory; records acked in a half-acked segment come back
            // and the market answers DUPLICATE. Unacknowledged ones must all be there.
            assertTrue(pending.containsAll(range(61, 100)), pending.toString());
            assertEquals(100, pending.get(pending.size() - 1));
            assertTrue(pending.size() < 100, "fully acknowledged segments are gone");
        }
    }

    @Test
    void anAppendAfterCompactionOfTheActiveSegmentIsReadable() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 3);
            spool.acknowledge(range(1, 3));
            appendAll(spool, 4, 5);
        }
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(4, 5), pendingSequences(spool));
        }
    }

    @Test
    void aTornLastWriteIsDiscardedAtEveryPossibleCutAndTheRestKept() throws Exception {
        int frame = frameLength(TestRecords.record(3));
        for (int cut = 1; cut < frame; cut++) {
            Path spoolDir = dir.resolve("cut-" + cut);
            try (UsageSpool spool = open(spoolDir)) {
                appendAll(spool, 1, 3);
            }
            Path segment = lastSegment(spoolDir);
            long intact = Files.size(segment) - frame;
            truncate(segment, Files.size(segment) - cut);
            try (UsageSpool spool = open(spoolDir)) {
                assertEquals(range(1, 2), pendingSequences(spool), "cut " + cut);
                assertEquals(intact, Files.size(segment), "the torn bytes are gone");
                spool.append(TestRecords.record(3));
            }
            try (UsageSpool spool = open(spoolDir)) {
                assertEquals(range(1, 3), pendingSequences(spool), "appending after recovery, cut " + cut);
            }
        }
    }

    @Test
    void aLastFrameWhoseChecksumFailsIsATornWrite() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 3);
        }
        Path segment = lastSegment(dir);
        flipByte(segment, Files.size(segment) - 10);
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(1, 2), pendingSequences(spool));
        }
    }

    @Test
    void aZeroFilledTailIsATornWrite() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 2);
        }
        Path segment = lastSegment(dir);
        long size = Files.size(segment);
        Files.write(segment, new byte[700], StandardOpenOption.APPEND);
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(1, 2), pendingSequences(spool));
            assertEquals(size, Files.size(segment));
        }
    }

    @Test
    void damageBeforeTheLastFrameIsRefusedAndNothingIsDiscarded() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 3);
        }
        Path segment = lastSegment(dir);
        long size = Files.size(segment);
        flipByte(segment, FrameFormat.HEADER_LENGTH + 20); // inside the first record
        SpoolCorrupt refused = assertThrows(SpoolCorrupt.class, () -> open(dir));
        assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());
        assertEquals(size, Files.size(segment), "the damaged file is left for an operator");
    }

    @Test
    void aSegmentCutInsideItsHeaderHoldsNoRecordsAndIsStartedAfresh() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 2);
        }
        Path next = dir.resolve(Segment.fileName(2));
        Files.write(next, new byte[] {'X', 'M'});
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(1, 2), pendingSequences(spool));
            spool.append(TestRecords.record(3));
        }
        try (UsageSpool spool = open(dir)) {
            assertEquals(range(1, 3), pendingSequences(spool));
        }
    }

    @Test
    void whenFullTheSpoolRefusesRaisesTheAlarmOnceAndKeepsEveryRecord() throws Exception {
        List<String> alarms = new ArrayList<>();
        SpoolAlarm alarm = new SpoolAlarm() {
            @Override
            public void full(long usedBytes, long limitBytes) {
                alarms.add("full " + usedBytes + "/" + limitBytes);
            }

            @Override
            public void cleared(long usedBytes, long limitBytes) {
                alarms.add("cleared");
            }
        };
        long limit = 2 * SpoolFixture.SEGMENT;
        try (UsageSpool spool = UsageSpool.open(SpoolFixture.config(dir, limit), alarm)) {
            long sequence = 0;
            while (true) {
                try {
                    spool.append(TestRecords.record(++sequence));
                } catch (SpoolFull full) {
                    assertEquals(limit, full.limitBytes());
                    break;
                }
            }
            long accepted = sequence - 1;
            long used = spool.usedBytes();
            assertTrue(used <= limit);
            assertTrue(spool.isFull());
            assertThrows(SpoolFull.class, () -> spool.append(TestRecords.record(10_000)));
            assertEquals(1, alarms.size(), "one alarm per episode, not per refusal: " + alarms);
            assertTrue(alarms.get(0).startsWith("full "));
            assertEquals(used, spool.usedBytes(), "a refused record writes nothing");
            assertEquals(range(1, accepted), pendingSequences(spool), "nothing was dropped to make room");

            spool.acknowledge(range(1, accepted / 2 + 1));
            spool.append(TestRecords.record(sequence));
            assertFalse(spool.isFull());
            assertEquals(List.of(alarms.get(0), "cleared"), alarms);
        }
    }

    @Test
    void aRejectedRecordLeavesTheQueueButIsKeptWithItsReason() throws Exception {
        try (UsageSpool spool = open(dir)) {
            appendAll(spool, 1, 3);
            spool.reject(2, "unknown lease lease-1");
            assertEquals(List.of(1L, 3L), pendingSequences(spool));
        }
        try (UsageSpool spool = open(dir)) {
            assertEquals(List.of(new RejectedRecord(TestRecords.record(2), "unknown lease lease-1")), spool.rejected());
            assertEquals(List.of(1L, 3L), pendingSequences(spool), "a rejection is remembered across restarts");
        }
    }

    @Test
    void theSameSequenceCannotBeSpooledTwice() throws Exception {
        try (UsageSpool spool = open(dir)) {
            spool.append(TestRecords.record(1));
            assertThrows(IllegalArgumentException.class, () -> spool.append(TestRecords.record(1)));
        }
    }

    @Test
    void oneSpoolDirectoryServesOneAgent() throws Exception {
        try (UsageSpool spool = open(dir)) {
            IOException refused = assertThrows(IOException.class, () -> open(dir));
            assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        }
        open(dir).close();
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x20;
        Files.write(file, bytes);
    }
}
