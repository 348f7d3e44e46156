package org.xenomarket.metering.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.spool.SpoolAlarm;
import org.xenomarket.metering.spool.SpoolConfig;
import org.xenomarket.metering.spool.UsageSpool;
import org.xenomarket.metering.testing.TestRecords;

class UploadLoopTest {

    @TempDir
    Path dir;

    @Test
    void theLoopDrainsTheSpoolOnItsScheduler() throws Exception {
        CountDownLatch delivered = new CountDownLatch(10);
        UsageSink sink = batch -> {
            Map<Long, RecordOutcome> outcomes = new HashMap<>();
            for (UsageRecord record : batch) {
                outcomes.put(record.sequence(), RecordOutcome.accepted());
                delivered.countDown();
            }
            return outcomes;
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (UsageSpool spool = UsageSpool.open(SpoolConfig.in(dir), SpoolAlarm.NONE)) {
            for (long sequence = 1; sequence <= 10; sequence++) {
                spool.append(TestRecords.record(sequence));
            }
            Uploader uploader = new Uploader(spool, sink, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                    InstantSource.system(), 4, Duration.ofHours(1));
            try (UploadLoop loop = new UploadLoop(uploader, InstantSource.system(), scheduler, Duration.ofSeconds(1))) {
                loop.start();
                // Full batches go back to back, so all ten arrive without any idle wait.
                assertTrue(delivered.await(30, TimeUnit.SECONDS), "all records delivered");
            }
            scheduler.shutdown();
            assertTrue(scheduler.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(0, spool.pendingCount());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
