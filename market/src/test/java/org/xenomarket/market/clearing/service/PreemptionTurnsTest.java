package org.xenomarket.market.clearing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.clearing.round.RoundBid;
import org.xenomarket.market.clearing.round.Unmatched;
import org.xenomarket.market.clearing.round.UnmatchedCause;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/** Which open bids a round gives a pre-emption attempt: plain arithmetic, no market needed. */
class PreemptionTurnsTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    /** Cambridge, and a point about 50 km east of it. */
    private static final PreemptionTurns.Spot CAMBRIDGE = new PreemptionTurns.Spot(52.2053, 0.1218);
    private static final double EAST_50_KM_LONGITUDE = 0.1218 + Math.toDegrees(50 / (6371.0 * Math.cos(Math.toRadians(52.2053))));

    private static RoundBid bid(ServiceClass serviceClass, long maxMicros, double longitude, double withinKm, int ageSeconds) {
        QuoteRequest request = new QuoteRequest(new ResourceVector(2, 2048, 20), 0, serviceClass, START,
                Duration.ofHours(2), "sponsor");
        return new RoundBid(UUID.randomUUID(), request, 52.2053, longitude, withinKm, maxMicros,
                START.minusSeconds(ageSeconds));
    }

    private static Unmatched open(RoundBid bid, UnmatchedCause cause) {
        return new Unmatched(bid, cause, null, 0);
    }

    @Test
    void onlyReservedBidsLeftOpenByFullServersAreTriedHigherValueFirst() {
        RoundBid low = bid(ServiceClass.RESERVED, 1_000_000, 0.1218, 20, 30);
        RoundBid high = bid(ServiceClass.RESERVED, 9_000_000, 0.1218, 20, 10);
        RoundBid tooDear = bid(ServiceClass.RESERVED, 9_000_000, 0.1218, 20, 20);
        RoundBid tooBig = bid(ServiceClass.RESERVED, 9_000_000, 0.1218, 20, 20);
        RoundBid bestEffort = bid(ServiceClass.BEST_EFFORT, 9_000_000, 0.1218, 20, 20);

        PreemptionTurns.Turns turns = PreemptionTurns.pick(List.of(open(low, UnmatchedCause.ALL_FULL),
                open(tooDear, UnmatchedCause.ABOVE_MAX), open(tooBig, UnmatchedCause.NONE_IN_REACH),
                open(bestEffort, UnmatchedCause.ALL_FULL), open(high, UnmatchedCause.ALL_FULL)),
                List.of(CAMBRIDGE), 10);

        assertEquals(List.of(high, low), turns.now());
        assertTrue(turns.later().isEmpty());
    }

    @Test
    void atMostTheBoundAreTriedAndTheRestWaitInValueOrder() {
        RoundBid first = bid(ServiceClass.RESERVED, 5_000_000, 0.1218, 20, 1);
        RoundBid olderOfEqualValue = bid(ServiceClass.RESERVED, 4_000_000, 0.1218, 20, 60);
        RoundBid younger = bid(ServiceClass.RESERVED, 4_000_000, 0.1218, 20, 30);
        RoundBid last = bid(ServiceClass.RESERVED, 1_000_000, 0.1218, 20, 90);

        PreemptionTurns.Turns turns = PreemptionTurns.pick(List.of(open(last, UnmatchedCause.ALL_FULL),
                open(younger, UnmatchedCause.ALL_FULL), open(first, UnmatchedCause.ALL_FULL),
                open(olderOfEqualValue, UnmatchedCause.ALL_FULL)), List.of(CAMBRIDGE), 2);

        assertEquals(List.of(first, olderOfEqualValue), turns.now());
        assertEquals(List.of(younger, last), turns.later());
        assertEquals(0, PreemptionTurns.pick(List.of(open(first, UnmatchedCause.ALL_FULL)), List.of(CAMBRIDGE), 0)
                .now().size(), "a bound of 0 turns pre-emption in rounds off");
    }

    @Test
    void aBidWithNoPreemptibleLeaseInReachIsNotTried() {
        RoundBid near = bid(ServiceClass.RESERVED, 5_000_000, EAST_50_KM_LONGITUDE, 55, 3);
        RoundBid tooFar = bid(ServiceClass.RESERVED, 5_000_000, EAST_50_KM_LONGITUDE, 45, 2);
        RoundBid anywhere = bid(ServiceClass.RESERVED, 5_000_000, 0, RoundInputs.ANYWHERE_KM, 1);

        PreemptionTurns.Turns turns = PreemptionTurns.pick(List.of(open(near, UnmatchedCause.ALL_FULL),
                open(tooFar, UnmatchedCause.ALL_FULL), open(anywhere, UnmatchedCause.ALL_FULL)), List.of(CAMBRIDGE), 10);

        assertEquals(List.of(near, anywhere), turns.now(), "a bid placed in regions reaches every site of the round");
        assertTrue(PreemptionTurns.pick(List.of(open(near, UnmatchedCause.ALL_FULL)), List.of(), 10).now().isEmpty(),
                "no site holds pre-emptible leases: nothing to try");
        assertEquals(50.0, PreemptionTurns.km(52.2053, 0.1218, 52.2053, EAST_50_KM_LONGITUDE), 0.5);
    }
}
