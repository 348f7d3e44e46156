package org.xenomarket.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PriceSheet#quote(QuoteRequest, ResourceVector, java.time.Instant)}, which an offer search calls
 * on one idle sheet per server without copying it, gives the quote of the copy at that reservation:
 * unit prices, price per hour, total, validity and breakdown (worked out at that reservation), on
 * random servers and requests.
 */
class QuoteAtReservedTest {

    private static final long BASE_SEED = 0x5245_5356_0000_0000L; // "RESV"

    static LongStream seeds() {
        return Arbitrary.seeds(BASE_SEED, 1_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quoteAtAReservationEqualsTheQuoteOfTheSheetWithThatReservation(long seed) {
        Arbitrary.Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> {
            PriceSheet idle = Fixtures.builtInEngine().priceSheet(
                    c.server().withReserved(ResourceVector.ZERO), Arbitrary.NOW);
            Quote expected = idle.withReserved(c.server().reserved()).quote(c.request(), Arbitrary.NOW);
            Quote actual = idle.quote(c.request(), c.server().reserved(), Arbitrary.NOW);
            assertEquals(expected.unitPrices(), actual.unitPrices());
            assertEquals(expected.pricePerHour(), actual.pricePerHour());
            assertEquals(expected.total(), actual.total());
            assertEquals(expected.validUntil(), actual.validUntil());
            assertEquals(expected.breakdown(), actual.breakdown());
            // and the idle sheet's own quotes are unchanged by it
            assertEquals(idle.quote(c.request(), Arbitrary.NOW).pricePerHour(),
                    idle.quote(c.request(), ResourceVector.ZERO, Arbitrary.NOW).pricePerHour());
        });
    }
}
