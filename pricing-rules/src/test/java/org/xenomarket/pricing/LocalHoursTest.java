package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalHoursTest {

    @Test
    void aLeaseIsSplitByLocalHourOfDay() {
        // 08:30-10:15 CET
        long[] s = LocalHours.secondsPerHourOfDay(ZoneId.of("Europe/Zurich"),
                Instant.parse("2026-11-25T07:30:00Z"), 6_300);
        assertEquals(1_800, s[8]);
        assertEquals(3_600, s[9]);
        assertEquals(900, s[10]);
        assertEquals(6_300, Arrays.stream(s).sum());
    }

    @Test
    void theSpringForwardHourIsNeverPaidFor() {
        // Zurich, 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00Z
        long[] s = LocalHours.secondsPerHourOfDay(ZoneId.of("Europe/Zurich"),
                Instant.parse("2026-03-29T00:00:00Z"), 3 * 3_600);
        assertEquals(3_600, s[1]);
        assertEquals(0, s[2]);
        assertEquals(3_600, s[3]);
        assertEquals(3_600, s[4]);
    }

    @Test
    void theAutumnRepeatedHourIsPaidTwice() {
        // Zurich, 25 October 2026: 03:00 CEST falls back to 02:00 CET at 01:00Z
        long[] s = LocalHours.secondsPerHourOfDay(ZoneId.of("Europe/Zurich"),
                Instant.parse("2026-10-25T00:00:00Z"), 2 * 3_600);
        assertEquals(7_200, s[2]);
    }

    @Test
    void longLeasesCoverEveryHourEvenly() {
        long[] s = LocalHours.secondsPerHourOfDay(ZoneOffset.ofHours(9), Instant.parse("2026-11-25T00:00:00Z"),
                30L * 86_400 + 3_600);
        assertEquals(31 * 3_600, s[9]);
        assertEquals(30 * 3_600, s[10]);
    }
}
