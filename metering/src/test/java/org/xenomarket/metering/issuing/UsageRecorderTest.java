package org.xenomarket.metering.issuing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.metering.counter.CounterSample;
import org.xenomarket.metering.counter.LeaseMeter;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageRecordWire;
import org.xenomarket.metering.sequence.SequenceStore;
import org.xenomarket.metering.signing.UsageRecordVerifier;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.SpoolFull;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.testing.TestRecords;

class UsageRecorderTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void samplesBecomeSignedNumberedSpooledRecordsThatTheMarketCanVerify() throws Exception {
        try (UsageSpool spool = UsageSpool.open(SpoolConfig.in(dir.resolve("spool")), SpoolAlarm.NONE)) {
            UsageRecorder recorder = new UsageRecorder(TestRecords.NODE, SequenceStore.open(dir.resolve("seq"), 16),
                    TestRecords.SIGNER, spool);
            LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(START));
            meter.observe(new CounterSample(START.plusSeconds(10), 5_000, 100, 10, 20, 30, 40));
            UsageRecord first = recorder.record(meter).orElseThrow();
            meter.observe(new CounterSample(START.plusSeconds(20), 9_000, 100, 15, 20, 30, 40));
            UsageRecord second = recorder.record(meter).orElseThrow();

            assertEquals(1, first.sequence());
            assertEquals(2, second.sequence());
            assertEquals(first.t1(), second.t0());
            assertEquals(4_000, second.cpuNanos());
            assertEquals(500, first.memoryMibSeconds()); // (0 + 100) / 2 MiB for 10 s
            assertEquals(List.of(first, second), spool.nextBatch(10));
            UsageRecordVerifier market = new UsageRecordVerifier(TestRecords.NODE, TestRecords.KEYS.getPublic());
            assertTrue(market.verify(UsageRecordWire.from(second)).isValid());
            assertTrue(recorder.record(meter).isEmpty(), "no time has passed since the last record");
        }
    }

    @Test
    void whileTheSpoolIsFullUsageWaitsInTheMeterAndTheNextRecordCoversIt() throws Exception {
        List<String> alarms = new ArrayList<>();
        SpoolAlarm alarm = new SpoolAlarm() {
            @Override
            public void full(long usedBytes, long limitBytes) {
                alarms.add("full");
            }

            @Override
            public void cleared(long usedBytes, long limitBytes) {
                alarms.add("cleared");
            }
        };
        long smallest = 8 + 8 + 4096; // one segment: room for about 25 records
        try (UsageSpool spool = UsageSpool.open(new SpoolConfig(dir.resolve("spool"), smallest, smallest), alarm)) {
            UsageRecorder recorder = new UsageRecorder(TestRecords.NODE, SequenceStore.open(dir.resolve("seq"), 16),
                    TestRecords.SIGNER, spool);
            LeaseMeter meter = new LeaseMeter("lease-1", CounterSample.zero(START));
            long cpu = 0;
            int second = 0;
            List<UsageRecord> taken = new ArrayList<>();
            while (alarms.isEmpty()) {
                second += 10;
                cpu += 1_000;
                meter.observe(new CounterSample(START.plusSeconds(second), cpu, 0, 0, 0, 0, 0));
                try {
                    taken.add(recorder.record(meter).orElseThrow());
                } catch (SpoolFull full) {
                    break;
                }
            }
            assertEquals(List.of("full"), alarms);
            // Two more sampling periods pass while the spool is full.
            for (int i = 0; i < 2; i++) {
                second += 10;
                cpu += 1_000;
                meter.observe(new CounterSample(START.plusSeconds(second), cpu, 0, 0, 0, 0, 0));
                assertThrows(SpoolFull.class, () -> recorder.record(meter));
            }
            spool.acknowledge(taken.stream().map(UsageRecord::sequence).toList());
            UsageRecord catchUp = recorder.record(meter).orElseThrow();

            assertEquals(List.of("full", "cleared"), alarms);
            assertEquals(taken.get(taken.size() - 1).t1(), catchUp.t0(), "no gap");
            assertEquals(START.plusSeconds(second), catchUp.t1());
            assertEquals(3_000, catchUp.cpuNanos(), "the refused period and the two after it");
            long recorded = taken.stream().mapToLong(UsageRecord::cpuNanos).sum() + catchUp.cpuNanos();
            assertEquals(cpu, recorded, "every nanosecond recorded exactly once");
        }
    }
}
