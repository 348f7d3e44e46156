package org.xenomarket.pricing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocalSpansTest {

    /**
     * Ten times as many spans as the table has slots, asked in a shuffled order and again: whatever was kept
     * in a slot before, each answer is the split {@link LocalHours#ofLocalSpan} makes afresh for that span.
     */
    @Test
    void aKeptSplitIsOnlyEverTheSplitOfItsOwnSpan() {
        SplittableRandom random = new SplittableRandom(0x5350_414e_5300_0001L);
        long[][] spans = new long[10_240][];
        for (int i = 0; i < spans.length; i++) {
            // many spans share a start, as bids of one round do, or a length
            long from = i % 5 == 0 && i > 0 ? spans[i - 1][0] : 1_780_000_000L + random.nextLong(400L * 86_400);
            spans[i] = new long[] {from, from + (i % 3 == 0 ? 3_600 : 60 + random.nextLong(3L * 86_400))};
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < spans.length; i++) {
                long[] span = spans[round == 1 ? spans.length - 1 - i : (i * 7_919) % spans.length];
                assertArrayEquals(LocalHours.ofLocalSpan(span[0], span[1]), LocalSpans.of(span[0], span[1]).hourSeconds,
                        () -> "span " + span[0] + ".." + span[1]);
            }
        }
    }
}
