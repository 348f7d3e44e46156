package org.xenomarket.metering.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 an agent in the middle of appending: every record it was told was taken is still there. */
class SpoolCrashTest {

    private static final int TAKEN_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void everyRecordTakenBeforeAKill9IsStillThereAfterwards() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SpoolWriterProcess.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long lastTaken = 0;
        try {
            lastTaken = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                long last = 0;
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    while (last < TAKEN_BEFORE_KILL) {
                        String line = out.readLine();
                        assertNotNull(line, "the writer died on its own");
                        last = Long.parseLong(line.trim());
                    }
                    // SIGKILL while the writer is still appending: no shutdown hook, no close().
                    child.destroyForcibly();
                    child.waitFor();
                }
                return last;
            });
        } finally {
            child.destroyForcibly();
        }

        try (UsageSpool spool = UsageSpool.open(SpoolFixture.config(dir, 64L << 20), SpoolAlarm.NONE)) {
            List<Long> recovered = SpoolFixture.pendingSequences(spool);
            assertTrue(recovered.size() >= lastTaken, recovered.size() + " recovered, " + lastTaken + " taken");
            // Perhaps one more than reported, appended but killed before it printed; never a gap.
            assertEquals(SpoolFixture.range(1, recovered.size()), recovered);
        }
    }
}
