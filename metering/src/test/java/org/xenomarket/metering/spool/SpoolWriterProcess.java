package org.xenomarket.metering.spool;

import java.nio.file.Path;
import org.xenomarket.metering.testing.TestRecords;

/**
 * Child JVM for the crash test: appends records as fast as it can and prints each sequence
 * number once {@link UsageSpool#append} has returned, until it is killed.
 */
public final class SpoolWriterProcess {

    private SpoolWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        UsageSpool spool = UsageSpool.open(SpoolFixture.config(Path.of(args[0]), 64L << 20), SpoolAlarm.NONE);
        for (long sequence = 1; ; sequence++) {
            spool.append(TestRecords.record(sequence));
            System.out.println(sequence);
            System.out.flush();
        }
    }
}
