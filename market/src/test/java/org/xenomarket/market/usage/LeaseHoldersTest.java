package org.xenomarket.market.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which server may report which time of a lease that moved from A to B and back to A. */
class LeaseHoldersTest {

    private static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-4000-8000-00000000000c");
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant TO_B = T.plusSeconds(3600);
    private static final Instant BACK_TO_A = T.plusSeconds(7200);
    private static final LeaseHolders MOVED_THERE_AND_BACK = new LeaseHolders(A, List.of(A, B), List.of(TO_B, BACK_TO_A));

    private static String problem(UUID server, Instant t0, Instant t1) {
        return MOVED_THERE_AND_BACK.problem(server, t0, t1, "lease-1");
    }

    @Test
    void eachServerReportsTheTimeItHeldTheLeaseGiveOrTakeTheClocksSkew() {
        assertNull(problem(A, T, TO_B));
        assertNull(problem(B, TO_B, BACK_TO_A));
        assertNull(problem(A, BACK_TO_A, BACK_TO_A.plusSeconds(3600)));
        // the old node's last record may end a little after the move, the new node's begin a little before
        assertNull(problem(A, T, TO_B.plus(RecordWindow.CLOCK_SKEW)));
        assertNull(problem(B, TO_B.minus(RecordWindow.CLOCK_SKEW), BACK_TO_A));
    }

    @Test
    void noServerReportsTheTimeAnotherHeldTheLease() {
        assertTrue(problem(A, TO_B.plusSeconds(600), TO_B.plusSeconds(1200)).contains("not within the time"));
        assertTrue(problem(B, T, T.plusSeconds(60)).contains("not within the time"));
        assertTrue(problem(B, BACK_TO_A.plusSeconds(600), BACK_TO_A.plusSeconds(700)).contains("not within the time"));
        // a record spanning the move is neither server's alone
        assertTrue(problem(A, TO_B.minusSeconds(600), TO_B.plusSeconds(600)).contains("not within the time"));
        assertEquals("lease lease-1 is not on this node's server", problem(C, T, TO_B));
    }

    @Test
    void aLeaseThatNeverMovedIsItsServersAllAlong() {
        LeaseHolders unmoved = LeaseHolders.unmoved(A);
        assertNull(unmoved.problem(A, T, T.plusSeconds(60), "lease-2"));
        assertEquals("lease lease-2 is not on this node's server", unmoved.problem(B, T, T.plusSeconds(60), "lease-2"));
    }
}
