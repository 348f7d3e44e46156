package org.xenomarket.market.reliability.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScoreFlightsTest {

    private static final Duration REUSE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private final ScoreFlights flights = new ScoreFlights();
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    @Test
    void requestsAskingWhileAScoreIsComputedWaitForThatComputationInsteadOfRunningTheirOwn() {
        ScoreFlights.Plan first = flights.plan(List.of(a, b), T0, REUSE);
        assertEquals(List.of(a, b), List.copyOf(first.leads().keySet()));
        assertTrue(first.joins().isEmpty());

        ScoreFlights.Plan second = flights.plan(List.of(b, a), T0.plusMillis(5), REUSE);
        assertTrue(second.leads().isEmpty(), "nothing computed twice");
        assertSame(first.leads().get(a).score(), second.joins().get(a));
        assertSame(first.leads().get(b).score(), second.joins().get(b));

        first.leads().get(a).score().complete(0.75);
        assertEquals(0.75, second.joins().get(a).join());
    }

    @Test
    void aLandedFlightIsNotJoinedAgainSoTheNextStaleScoreIsComputedAnew() {
        ScoreFlights.Plan first = flights.plan(List.of(a), T0, REUSE);
        ScoreFlights.Flight flight = first.leads().get(a);
        flight.score().complete(0.5);
        flights.land(a, flight);

        ScoreFlights.Plan next = flights.plan(List.of(a), T0.plusSeconds(31), REUSE);
        assertEquals(List.of(a), List.copyOf(next.leads().keySet()));
        assertTrue(next.joins().isEmpty());
    }

    @Test
    void aFlightOlderThanTheReuseIsNotJoinedButComputedAgainBesideIt() {
        ScoreFlights.Flight hanging = flights.plan(List.of(a), T0, REUSE).leads().get(a);

        ScoreFlights.Plan later = flights.plan(List.of(a), T0.plus(REUSE), REUSE);
        assertTrue(later.joins().isEmpty());
        ScoreFlights.Flight own = later.leads().get(a);
        assertTrue(own != hanging);
        // landing the unregistered flight leaves the registered one in place, and the reverse ends it
        flights.land(a, own);
        assertSame(hanging.score(), flights.plan(List.of(a), T0.plusSeconds(1), REUSE).joins().get(a));
        flights.land(a, hanging);
        assertTrue(flights.plan(List.of(a), T0.plusSeconds(1), REUSE).joins().isEmpty());
    }

    @Test
    void aFailedFlightReachesThoseWaitingOnIt() {
        ScoreFlights.Flight led = flights.plan(List.of(a), T0, REUSE).leads().get(a);
        var joined = flights.plan(List.of(a), T0, REUSE).joins().get(a);
        led.score().completeExceptionally(new IllegalStateException("connection lost"));
        assertTrue(joined.isCompletedExceptionally());
    }
}
