package org.xenomarket.metering.testing;

import java.security.KeyPair;
import java.time.Instant;
import org.xenomarket.metering.counter.Interval;
import org.xenomarket.metering.counter.Usage;
import org.xenomarket.metering.record.UsageRecord;
import org.xenomarket.metering.record.UsageStatement;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.signing.UsageRecordSigner;

/** Signed records for tests, under one key pair generated per test JVM. */
public final class TestRecords {

    public static final String NODE = "node-7";
    public static final KeyPair KEYS = NodeKeys.generate();
    public static final UsageRecordSigner SIGNER = new UsageRecordSigner(KEYS.getPrivate());
    public static final Instant EPOCH = Instant.parse("2026-11-25T10:00:00Z");

    private TestRecords() {
    }

    /** Record {@code sequence}: lease-1 over the {@code sequence}-th ten seconds after {@link #EPOCH}. */
    public static UsageRecord record(long sequence) {
        return SIGNER.sign(statement(sequence));
    }

    public static UsageStatement statement(long sequence) {
        long t0 = EPOCH.toEpochMilli() + (sequence - 1) * 10_000;
        return new UsageStatement(NODE, sequence, "lease-1", Interval.ofEpochMillis(t0, t0 + 10_000),
                new Usage(sequence * 1_000_000, sequence * 512, sequence * 3, sequence * 5, sequence * 7, sequence * 11));
    }
}
