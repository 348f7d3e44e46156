package org.xenomarket.market.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reliability formula: its prior, worked values, bounds, and which way evidence moves it. */
class ReliabilityFormulaTest {

    private static final double WEEK = 7 * 24 * 3600.0;
    private static final UUID ID = UUID.randomUUID();

    @Test
    void aServerWithNoHistoryStartsAtThePrior() {
        Reliability fresh = ReliabilityFormula.score(record(0, 0, 0, 0));
        assertEquals(ReliabilityFormula.PRIOR, fresh.score(), 1e-12);
        assertEquals(0.9, fresh.score(), 1e-12);
    }

    @Test
    void aWeekHalfOfflineWithOneFailedAndThreeEndedLeasesScoresAsDocumented() {
        Reliability r = ReliabilityFormula.score(record(WEEK, WEEK / 2, 3, 1));
        // uptime = (0.9*24 + 84) / (24 + 168); leaseSuccess = (0.9*4 + 3) / (4 + 4)
        double uptime = (21.6 + 84) / 192;
        double leases = (3.6 + 3) / 8;
        assertEquals(uptime, r.uptime(), 1e-12);
        assertEquals(leases, r.leaseSuccess(), 1e-12);
        assertEquals((uptime + leases) / 2, r.score(), 1e-12);
    }

    @Test
    void aWeekAlwaysOnlineWithOnlyEndedLeasesApproachesOne() {
        Reliability r = ReliabilityFormula.score(record(WEEK, 0, 100, 0));
        assertTrue(r.score() > 0.98 && r.score() < 1, "score " + r.score());
    }

    @Test
    void offlineTimeBeyondTheObservedTimeCountsOnlyUpToIt() {
        assertEquals(ReliabilityFormula.score(record(3600, 3600, 0, 0)),
                ReliabilityFormula.score(record(3600, 7200, 0, 0)));
    }

    @Test
    void scoresStayWithinZeroAndOneAndEvidenceMovesThemTheRightWay() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < 10_000; i++) {
            double observed = random.nextDouble(0, WEEK);
            double offline = random.nextDouble(0, observed + 1);
            long ended = random.nextLong(0, 500);
            long failed = random.nextLong(0, 500);
            Reliability r = ReliabilityFormula.score(record(observed, offline, ended, failed));
            String at = "case " + i + ": " + observed + "/" + offline + "/" + ended + "/" + failed;
            assertTrue(r.score() >= 0 && r.score() <= 1, at);
            assertTrue(ReliabilityFormula.score(record(observed, offline + 600, ended, failed)).score() <= r.score(), at);
            assertTrue(ReliabilityFormula.score(record(observed, offline, ended, failed + 1)).score() < r.score(), at);
            assertTrue(ReliabilityFormula.score(record(observed, offline, ended + 1, failed)).score() > r.score(), at);
        }
    }

    private static TrackRecord record(double observed, double offline, long ended, long failed) {
        return new TrackRecord(ID, ID, observed, offline, ended, failed);
    }
}
