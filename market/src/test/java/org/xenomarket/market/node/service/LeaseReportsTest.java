package org.xenomarket.market.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.node.LeaseReport;
import org.xenomarket.market.problem.InvalidInput;

class LeaseReportsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aReportsReasonIsTrimmedAndABlankOneIsNone() {
        assertEquals("guest booted", LeaseReports.checkedReason(new LeaseReport(LeaseState.RUNNING, "  guest booted ", null)));
        assertNull(LeaseReports.checkedReason(new LeaseReport(LeaseState.RUNNING, "   ", null)));
    }

    @Test
    void aNodeReportsOnlyTheStatesItCanSee() {
        assertEquals("state", refusedField(new LeaseReport(LeaseState.PENDING, null, null)));
        assertEquals("state", refusedField(new LeaseReport(LeaseState.PREEMPTED, null, null)));
    }

    @Test
    void aFailureNeedsAReasonAndOnlyAFailureHasACause() {
        assertEquals("reason", refusedField(new LeaseReport(LeaseState.FAILED, " ", FailureCause.HOST)));
        assertEquals("cause", refusedField(new LeaseReport(LeaseState.RUNNING, null, FailureCause.IMAGE)));
        assertEquals("disk full", LeaseReports.checkedReason(new LeaseReport(LeaseState.FAILED, "disk full", null)));
    }

    @Test
    void runningIsStampedOnceAndAFailureWithItsCause() {
        Lease lease = new Lease();
        lease.id = UUID.randomUUID();
        lease.state = LeaseState.STARTING;
        LeaseReports.apply(lease, LeaseState.RUNNING, null, null, NOW, UUID.randomUUID());
        LeaseReports.apply(lease, LeaseState.RUNNING, null, null, NOW.plusSeconds(60), UUID.randomUUID());
        assertEquals(NOW, lease.runningAt, "the first report of RUNNING is when it began");

        LeaseReports.apply(lease, LeaseState.FAILED, "disk full", FailureCause.HOST, NOW.plusSeconds(120),
                UUID.randomUUID());
        assertEquals(LeaseState.FAILED, lease.state);
        assertEquals(FailureCause.HOST, lease.failureCause);
        assertEquals("disk full", lease.stateReason);
        assertEquals(NOW.plusSeconds(120), lease.failedAt);
    }

    @Test
    void aPreemptedLeaseKeepsItsReasonUnlessTheNodeSaysMore() {
        Lease lease = new Lease();
        lease.id = UUID.randomUUID();
        lease.state = LeaseState.ENDING;
        lease.stateReason = "pre-empted for a reserved bid";
        LeaseReports.apply(lease, LeaseState.PREEMPTED, null, null, NOW, UUID.randomUUID());

        assertEquals("pre-empted for a reserved bid", lease.stateReason);
        assertEquals(NOW, lease.endedAt);
    }

    private static String refusedField(LeaseReport report) {
        return assertThrows(InvalidInput.class, () -> LeaseReports.checkedReason(report)).errors().get(0).field();
    }
}
