package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ServiceClass;

/**
 * At equal price a round puts a bid on a server whose site's cache holds the bid's image, even a
 * farther one; a cheaper server still wins over a warm one, and bids without an image are unaffected.
 */
class WarmCacheTieBreakTest {

    private static final UUID IMAGE = UUID.nameUUIDFromBytes("debian".getBytes());

    private static RoundServer warm(RoundServer server, UUID... images) {
        return new RoundServer(server.id(), server.region(), server.latitude(), server.longitude(), server.capacity(),
                server.reserved(), server.pricing(), server.reliability(), Set.of(images));
    }

    private static RoundBid withImage(RoundBid bid, UUID image) {
        return new RoundBid(bid.id(), bid.request(), bid.latitude(), bid.longitude(), bid.withinKm(),
                bid.maxPricePerHourMicros(), bid.placedAt(), bid.minReliability(), image);
    }

    private static UUID placedOn(RoundOutcome outcome) {
        assertEquals(1, outcome.assignments().size(), outcome.toString());
        return outcome.assignments().get(0).server().id();
    }

    @Test
    void atEqualPriceTheFartherWarmServerWinsAndWithoutAnImageTheNearerOne() {
        RoundServer near = RoundFixtures.server("near", 50.0, 0.01, 8, 10_000);
        RoundServer far = warm(RoundFixtures.server("far", 50.0, 0.2, 8, 10_000), IMAGE);
        RoundBid bid = RoundFixtures.bid(1, 50.0, 0.0, 50, 2, 1, 1_000_000, ServiceClass.RESERVED);

        assertEquals(near.id(), placedOn(ClearingRound.clear(List.of(near, far), List.of(bid))));
        assertEquals(far.id(), placedOn(ClearingRound.clear(List.of(near, far), List.of(withImage(bid, IMAGE)))));
        // another image held there is no reason to go farther
        UUID other = UUID.nameUUIDFromBytes("alpine".getBytes());
        assertEquals(near.id(), placedOn(ClearingRound.clear(List.of(near, far), List.of(withImage(bid, other)))));
        // the reference scan, visiting every server, agrees
        assertEquals(far.id(), placedOn(ClearingRound.clearVisitingEveryServer(List.of(near, far),
                List.of(withImage(bid, IMAGE)))));
    }

    @Test
    void aWarmServerNeverWinsOverACheaperOne() {
        RoundServer cheap = RoundFixtures.server("cheap", 50.0, 0.2, 8, 10_000);
        RoundServer dearWarm = warm(RoundFixtures.server("dear", 50.0, 0.01, 8, 10_001), IMAGE);
        RoundBid bid = withImage(RoundFixtures.bid(1, 50.0, 0.0, 50, 2, 1, 1_000_000, ServiceClass.RESERVED), IMAGE);

        RoundOutcome outcome = ClearingRound.clear(List.of(dearWarm, cheap), List.of(bid));
        assertEquals(cheap.id(), placedOn(outcome));
        assertEquals(cheap.pricing().pricePerHourMicros(bid, cheap.reserved()),
                outcome.assignments().get(0).pricePerHourMicros());
    }
}
