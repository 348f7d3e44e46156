package org.xenomarket.market.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HourlySplitTest {

    private static final UsageAmounts USAGE = new UsageAmounts(7_000_000_001L, 3_601, 10, 0, Long.MAX_VALUE, 1);

    @Test
    void aRecordWithinOneHourStaysWhole() {
        List<HourlySplit.Share> shares = HourlySplit.of(Instant.parse("2026-11-25T10:05:00Z"),
                Instant.parse("2026-11-25T10:06:00Z"), USAGE);
        assertEquals(1, shares.size());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), shares.get(0).hour());
        assertEquals(USAGE, shares.get(0).amounts());
    }

    @Test
    void aRecordAcrossTheHourIsSplitByTimeAndAddsUpExactly() {
        UsageAmounts usage = new UsageAmounts(4_000, 400, 40, 4, 0, 3);
        List<HourlySplit.Share> shares = HourlySplit.of(Instant.parse("2026-11-25T10:45:00Z"),
                Instant.parse("2026-11-25T11:45:00Z"), usage);
        assertEquals(List.of(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")),
                shares.stream().map(HourlySplit.Share::hour).toList());
        assertEquals(new UsageAmounts(1_000, 100, 10, 1, 0, 0), shares.get(0).amounts(), "a quarter, rounded down");
        assertEquals(new UsageAmounts(3_000, 300, 30, 3, 0, 3), shares.get(1).amounts(), "the rest");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1_000, 77_777})
    void randomSplitsAlwaysSumToTheRecord(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            long t0 = random.nextLong(0, 4_000_000_000_000L);
            long t1 = t0 + random.nextLong(1, 30 * 3_600_000L);
            UsageAmounts usage = new UsageAmounts(random.nextLong(0, Long.MAX_VALUE), random.nextLong(0, 1L << 40),
                    random.nextLong(0, 1L << 50), random.nextLong(0, 5), 0, random.nextLong(0, Long.MAX_VALUE));
            List<HourlySplit.Share> shares = HourlySplit.of(Instant.ofEpochMilli(t0), Instant.ofEpochMilli(t1), usage);
            UsageAmounts sum = shares.stream().map(HourlySplit.Share::amounts).reduce(UsageAmounts.ZERO, UsageAmounts::plus);
            assertEquals(usage, sum, "seed " + seed + " case " + i + ": [" + t0 + ", " + t1 + ")");
        }
    }

    @Test
    void anEmptyIntervalIsRefused() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> HourlySplit.of(t, t, USAGE));
    }
}
