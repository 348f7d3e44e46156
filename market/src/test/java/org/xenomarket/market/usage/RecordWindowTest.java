package org.xenomarket.market.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records must lie within their lease, within a few minutes of clock skew, and span at most a week. */
class RecordWindowTest {

    private static final Instant LEASE_START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant LEASE_END = LEASE_START.plus(Duration.ofDays(30));

    private static String leaseProblem(Instant t0, Instant t1) {
        return RecordWindow.leaseProblem(t0, t1, "L", LEASE_START, LEASE_END);
    }

    @Test
    void aRecordWithinTheLeaseOrTheSkewIsTaken() {
        assertNull(leaseProblem(LEASE_START, LEASE_START.plusSeconds(60)));
        assertNull(leaseProblem(LEASE_START.minus(Duration.ofMinutes(5)), LEASE_START.plusSeconds(60)));
        assertNull(leaseProblem(LEASE_END.minusSeconds(60), LEASE_END.plus(Duration.ofMinutes(5))));
    }

    @Test
    void aRecordThatBeginsBeforeOrEndsAfterItsLeaseIsRefusedEvenIfItOverlapsIt() {
        assertTrue(leaseProblem(Instant.parse("0001-01-01T00:00:00Z"), LEASE_START.plusSeconds(60))
                .contains("starts before lease L"));
        assertTrue(leaseProblem(LEASE_START.minus(Duration.ofMinutes(6)), LEASE_START.plusSeconds(60))
                .contains("starts before lease L"));
        assertTrue(leaseProblem(LEASE_END.minusSeconds(60), LEASE_END.plus(Duration.ofMinutes(6)))
                .contains("ends after lease L"));
    }

    @Test
    void aRecordSpanningMoreThanAWeekIsRefusedAndNeverSplit() {
        Instant t0 = LEASE_START;
        assertNull(RecordWindow.spanProblem(t0, t0.plus(Duration.ofDays(7))));
        assertTrue(RecordWindow.spanProblem(t0, t0.plus(Duration.ofDays(7)).plusMillis(1)).contains("more than 7 days"));
        assertTrue(RecordWindow.spanProblem(t0, t0).contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> HourlySplit.of(Instant.parse("0001-01-01T00:00:00Z"),
                t0, new UsageAmounts(1, 1, 1, 1, 1, 1)));
    }

    @Test
    void anUploadsRejectionsAreSummarisedWithBoundedReasons() {
        List<String> reasons = new java.util.ArrayList<>(Collections.nCopies(9_000, "signature: forged or altered"));
        for (int i = 0; i < 1_000; i++) {
            reasons.add("sequence " + i + " of this node was already used" + "x".repeat(1_000));
        }
        RejectedUpload summary = RejectedUpload.of(10_000, reasons);
        assertEquals(10_000, summary.rejected());
        assertEquals(RejectedUpload.MAX_REASONS, summary.reasons().size());
        assertEquals(9_000, summary.reasons().get(0).count());
        assertEquals(1_000 - (RejectedUpload.MAX_REASONS - 1), summary.otherReasons());
        assertTrue(summary.reasons().stream().allMatch(r -> r.reason().length() <= RejectedUpload.MAX_REASON_LENGTH + 3));
    }
}
