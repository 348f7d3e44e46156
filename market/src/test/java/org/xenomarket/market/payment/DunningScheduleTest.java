package org.xenomarket.market.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.payment.service.DunningSchedule;

/** The dunning schedule counts every retry from the first decline, and ends. */
class DunningScheduleTest {

    private static final Instant FIRST = Instant.parse("2027-01-05T10:00:00Z");
    private final DunningSchedule schedule = new DunningSchedule(
            List.of(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7)));

    @Test
    void eachRetryIsAtItsOffsetFromTheFirstDecline() {
        assertEquals(Optional.of(Instant.parse("2027-01-06T10:00:00Z")), schedule.nextAttempt(FIRST, 1));
        assertEquals(Optional.of(Instant.parse("2027-01-08T10:00:00Z")), schedule.nextAttempt(FIRST, 2));
        assertEquals(Optional.of(Instant.parse("2027-01-12T10:00:00Z")), schedule.nextAttempt(FIRST, 3));
    }

    @Test
    void aDeclineAfterTheLastRetryHasNoNextAttempt() {
        assertEquals(Optional.empty(), schedule.nextAttempt(FIRST, 4));
        assertEquals(Optional.empty(), new DunningSchedule(List.of()).nextAttempt(FIRST, 1));
    }

    @Test
    void aNegativeOffsetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DunningSchedule(List.of(Duration.ofDays(-1))));
    }
}
