package org.xenomarket.market.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.node.GuestReport;
import org.xenomarket.market.node.GuestStatus;

class HeartbeatsTest {

    @Test
    void guestsWhoseLeaseIsNoLongerActiveAreToBeStoppedEachOnce() {
        Lease running = new Lease();
        running.id = UUID.randomUUID();
        UUID ended = UUID.randomUUID();
        GuestStatus state = GuestStatus.RUNNING;
        List<GuestReport> guests = List.of(new GuestReport(running.id, state), new GuestReport(ended, state),
                new GuestReport(ended, state));

        assertEquals(List.of(ended), Heartbeats.guestsToStop(guests, List.of(running)));
        assertEquals(List.of(), Heartbeats.guestsToStop(List.of(new GuestReport(running.id, state)), List.of(running)));
    }
}
