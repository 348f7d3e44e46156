package org.xenomarket.metering.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.testing.FakeClock;
import org.xenomarket.metering.testing.TestRecords;

class UploaderTest {

    private static final Duration IDLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final ScriptedSink sink = new ScriptedSink();
    private UsageSpool spool;
    private Uploader uploader;

    @BeforeEach
    void openSpool() throws Exception {
        spool = UsageSpool.open(SpoolConfig.in(dir), SpoolAlarm.NONE);
        uploader = new Uploader(spool, sink, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(8)), clock,
                3, IDLE);
    }

    @AfterEach
    void closeSpool() throws Exception {
        spool.close();
    }

    @Test
    void acceptedRecordsLeaveTheSpool() throws Exception {
        append(1, 2);
        UploadRound round = uploader.runOnce();
        assertEquals(2, round.accepted());
        assertEquals(0, spool.pendingCount());
        assertEquals(List.of(List.of(1L, 2L)), sink.batches);
        assertEquals(clock.instant().plus(IDLE), round.nextAttempt(), "a short batch means the queue is drained");
    }

    @Test
    void aFullBatchIsFollowedImmediatelyByTheNext() throws Exception {
        append(1, 5);
        UploadRound first = uploader.runOnce();
        assertEquals(clock.instant(), first.nextAttempt());
        uploader.runOnce();
        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L)), sink.batches);
        assertEquals(0, spool.pendingCount());
    }

    @Test
    void duplicatesCountAsAcknowledged() throws Exception {
        append(1, 2);
        sink.answer = record -> record.sequence() == 1 ? RecordOutcome.duplicate() : RecordOutcome.accepted();
        UploadRound round = uploader.runOnce();
        assertEquals(1, round.duplicates());
        assertEquals(1, round.accepted());
        assertEquals(0, spool.pendingCount());
    }

    @Test
    void rejectedRecordsAreSetAsideWithTheirReasonAndNotRetried() throws Exception {
        append(1, 3);
        sink.answer = record -> record.sequence() == 2 ? RecordOutcome.rejected("lease-1 is not on this node")
                : RecordOutcome.accepted();
        UploadRound round = uploader.runOnce();
        assertEquals(1, round.rejected());
        assertEquals(0, spool.pendingCount());
        assertEquals("lease-1 is not on this node", spool.rejected().get(0).reason());
        assertEquals(2, spool.rejected().get(0).record().sequence());
    }

    @Test
    void anUnavailableMarketIsRetriedWithGrowingDelaysAndNothingIsLost() throws Exception {
        append(1, 2);
        sink.failuresToCome = 5;
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            UploadRound round = uploader.runOnce();
            assertTrue(round.sinkFailed());
            waits.add(Duration.between(clock.instant(), round.nextAttempt()));
            assertEquals(2, spool.pendingCount());
            clock.set(round.nextAttempt());
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(8)), waits);
        UploadRound recovered = uploader.runOnce();
        assertEquals(2, recovered.accepted());
        assertEquals(0, uploader.consecutiveFailures(), "success resets the backoff");
    }

    @Test
    void nothingIsSentBeforeTheBackoffHasElapsed() throws Exception {
        append(1, 1);
        sink.failuresToCome = 1;
        UploadRound failed = uploader.runOnce();
        int attempts = sink.attempts;
        clock.advance(Duration.ofMillis(999));
        UploadRound waiting = uploader.runOnce();
        assertEquals(attempts, sink.attempts, "still backing off");
        assertEquals(0, waiting.sent());
        assertEquals(failed.nextAttempt(), waiting.nextAttempt());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, uploader.runOnce().accepted());
    }

    @Test
    void aClientBugIsTreatedLikeAnOutageNotAsTheEndOfUploading() throws Exception {
        append(1, 1);
        sink.answer = record -> {
            throw new IllegalStateException("bug in the HTTP client");
        };
        assertTrue(uploader.runOnce().sinkFailed());
        assertEquals(1, spool.pendingCount());
    }

    @Test
    void recordsTheMarketDidNotAnswerForStayAndAreResentAfterABackoff() throws Exception {
        append(1, 3);
        sink.answer = record -> record.sequence() == 3 ? null : RecordOutcome.accepted();
        UploadRound round = uploader.runOnce();
        assertEquals(1, round.unanswered());
        assertEquals(List.of(3L), List.of(spool.nextBatch(10).get(0).sequence()));
        assertEquals(clock.instant().plusSeconds(1), round.nextAttempt());
        sink.answer = record -> RecordOutcome.accepted();
        clock.set(round.nextAttempt());
        assertEquals(1, uploader.runOnce().accepted());
        assertEquals(0, spool.pendingCount());
    }

    @Test
    void anEmptySpoolIsPolledAtTheIdleInterval() throws Exception {
        UploadRound round = uploader.runOnce();
        assertEquals(0, round.sent());
        assertEquals(clock.instant().plus(IDLE), round.nextAttempt());
        assertEquals(0, sink.attempts);
    }

    private void append(long from, long to) throws Exception {
        for (long sequence = from; sequence <= to; sequence++) {
            spool.append(TestRecords.record(sequence));
        }
    }

    /** A market stand-in: fails the next N calls, then answers per record as told. */
    static final class ScriptedSink implements UsageSink {
        final List<List<Long>> batches = new ArrayList<>();
        Function<UsageRecord, RecordOutcome> answer = record -> RecordOutcome.accepted();
        int failuresToCome;
        int attempts;

        @Override
        public Map<Long, RecordOutcome> send(List<UsageRecord> batch) throws SinkUnavailable {
            attempts++;
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new SinkUnavailable("connection refused", null);
            }
            batches.add(batch.stream().map(UsageRecord::sequence).toList());
            Map<Long, RecordOutcome> outcomes = new HashMap<>();
            for (UsageRecord record : batch) {
                RecordOutcome outcome = answer.apply(record);
                if (outcome != null) {
                    outcomes.put(record.sequence(), outcome);
                }
            }
            return outcomes;
        }
    }
}
