package org.xenomarket.metering.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseMeterTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static CounterSample at(long seconds, long cpu, long mem, long rx, long tx, long rd, long wr) {
        return new CounterSample(T0.plusSeconds(seconds), cpu, mem, rx, tx, rd, wr);
    }

    @Test
    void nothingIsPendingBeforeTheFirstSampleAfterTheBaseline() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        assertTrue(meter.pending().isEmpty());
    }

    @Test
    void pendingUsageIsTheCounterDeltasSinceTheBaseline() {
        LeaseMeter meter = new LeaseMeter("lease-1", at(0, 100, 0, 10, 20, 30, 40));
        meter.observe(at(10, 600, 0, 15, 27, 39, 50));
        LeaseUsage usage = meter.pending().orElseThrow();
        assertEquals(new Interval(T0, T0.plusSeconds(10)), usage.interval());
        assertEquals(new Usage(500, 0, 5, 7, 9, 10), usage.usage());
    }

    @Test
    void aRestartedGuestCountsFromZeroAndIsNeverNegative() {
        LeaseMeter meter = new LeaseMeter("lease-1", at(0, 1_000, 0, 1_000, 1_000, 1_000, 1_000));
        meter.observe(at(10, 1_500, 0, 1_100, 1_000, 1_000, 1_000));
        meter.observe(at(20, 70, 0, 5, 0, 3, 1_200)); // restart; disk write happens to climb past the old value
        assertEquals(new Usage(570, 0, 105, 0, 3, 200), meter.pending().orElseThrow().usage());
    }

    @Test
    void memoryIsIntegratedWithTheTrapezoidRuleInMibSeconds() {
        LeaseMeter meter = new LeaseMeter("lease-1", at(0, 0, 1_000, 0, 0, 0, 0));
        meter.observe(at(10, 0, 3_000, 0, 0, 0, 0)); // (1000+3000)/2 * 10 s
        meter.observe(at(12, 0, 3_000, 0, 0, 0, 0)); // 3000 * 2 s
        assertEquals(26_000, meter.pending().orElseThrow().usage().memoryMibSeconds());
    }

    @Test
    void fractionsOfAMibSecondAreCarriedIntoTheNextRecordNotLost() {
        LeaseMeter meter = new LeaseMeter("lease-1", new CounterSample(T0, 0, 1, 0, 0, 0, 0));
        long total = 0;
        for (int i = 1; i <= 4; i++) {
            meter.observe(new CounterSample(T0.plusMillis(250L * i), 0, 1, 0, 0, 0, 0));
            LeaseUsage usage = meter.pending().orElseThrow();
            meter.commit(usage);
            total += usage.usage().memoryMibSeconds();
        }
        // 1 MiB for four quarter-seconds: 0, 0, 0, then the whole MiB·s once the fractions add up.
        assertEquals(1, total);
    }

    @Test
    void commitMovesTheBoundarySoTheNextIntervalStartsWhereTheLastEnded() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        meter.observe(at(10, 100, 0, 0, 0, 0, 0));
        LeaseUsage first = meter.pending().orElseThrow();
        meter.commit(first);
        assertTrue(meter.pending().isEmpty());
        meter.observe(at(20, 250, 0, 0, 0, 0, 0));
        LeaseUsage second = meter.pending().orElseThrow();
        assertTrue(first.interval().isFollowedBy(second.interval()));
        assertEquals(150, second.usage().cpuNanos());
    }

    @Test
    void withoutACommitTheNextPendingIntervalCoversEverythingSinceTheLastCommit() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        meter.observe(at(10, 100, 0, 0, 0, 0, 0));
        meter.pending().orElseThrow(); // recording failed: not committed
        meter.observe(at(20, 250, 0, 0, 0, 0, 0));
        LeaseUsage usage = meter.pending().orElseThrow();
        assertEquals(new Interval(T0, T0.plusSeconds(20)), usage.interval());
        assertEquals(250, usage.usage().cpuNanos());
    }

    @Test
    void samplesObservedBetweenPendingAndCommitStayPending() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        meter.observe(at(10, 100, 0, 0, 0, 0, 0));
        LeaseUsage taken = meter.pending().orElseThrow();
        meter.observe(at(20, 250, 0, 0, 0, 0, 0));
        meter.commit(taken);
        LeaseUsage rest = meter.pending().orElseThrow();
        assertEquals(new Interval(T0.plusSeconds(10), T0.plusSeconds(20)), rest.interval());
        assertEquals(150, rest.usage().cpuNanos());
    }

    @Test
    void committingUsageThatDoesNotStartAtTheBoundaryIsRefused() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        meter.observe(at(10, 100, 0, 0, 0, 0, 0));
        LeaseUsage taken = meter.pending().orElseThrow();
        meter.commit(taken);
        assertThrows(IllegalStateException.class, () -> meter.commit(taken));
    }

    @Test
    void aSampleNotLaterThanThePreviousIsRefused() {
        LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(T0));
        meter.observe(at(10, 100, 0, 0, 0, 0, 0));
        assertThrows(SampleOutOfOrder.class, () -> meter.observe(at(10, 200, 0, 0, 0, 0, 0)));
        assertThrows(SampleOutOfOrder.class, () -> meter.observe(at(5, 200, 0, 0, 0, 0, 0)));
    }

    @Test
    void anIntegralTooLargeForALongFailsLoudlyInsteadOfWrapping() {
        LeaseMeter meter = new LeaseMeter("lease-1", new CounterSample(T0, 0, Long.MAX_VALUE / 2, 0, 0, 0, 0));
        assertThrows(ArithmeticException.class,
                () -> meter.observe(new CounterSample(T0.plusSeconds(1), 0, Long.MAX_VALUE / 2, 0, 0, 0, 0)));
    }

    @Test
    void aMeterResumedFromItsCheckpointRecordsWhatAnUninterruptedOneWould() {
        LeaseMeter whole = new LeaseMeter("lease-1", new CounterSample(T0, 0, 3, 0, 0, 0, 0));
        LeaseMeter part = new LeaseMeter("lease-1", new CounterSample(T0, 0, 3, 0, 0, 0, 0));
        long cpu = 0;
        long mem = 0;
        for (int i = 1; i <= 20; i++) {
            CounterSample sample = new CounterSample(T0.plusMillis(333L * i), 7L * i, 3 + i % 2, i, 2L * i, 3L * i, 4L * i);
            whole.observe(sample);
            part.observe(sample);
            LeaseUsage usage = part.pending().orElseThrow();
            LeaseMeter.Checkpoint checkpoint = part.checkpointAfter(usage);
            part.commit(usage);
            cpu += usage.usage().cpuNanos();
            mem += usage.usage().memoryMibSeconds();
            // As after a restart: a new meter from the checkpoint alone.
            part = LeaseMeter.resume("lease-1", checkpoint);
        }
        Usage total = whole.pending().orElseThrow().usage();
        assertEquals(total.cpuNanos(), cpu);
        assertEquals(total.memoryMibSeconds(), mem);
        assertTrue(part.pending().isEmpty());
    }

    @Test
    void aCheckpointIsOnlyForAllOfThePendingUsage() {
        LeaseMeter meter = new LeaseMeter("lease-1", at(0, 0, 1, 0, 0, 0, 0));
        meter.observe(at(1, 5, 1, 0, 0, 0, 0));
        LeaseUsage usage = meter.pending().orElseThrow();
        meter.observe(at(2, 9, 1, 0, 0, 0, 0));
        assertThrows(IllegalStateException.class, () -> meter.checkpointAfter(usage));
    }
}
