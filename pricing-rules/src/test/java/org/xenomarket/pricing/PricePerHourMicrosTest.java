package org.xenomarket.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PriceSheet#pricePerHourMicros}, the clearing round's allocation-light price, gives exactly the
 * price per hour of the full quote at the same reservation, on random servers and requests.
 */
class PricePerHourMicrosTest {

    private static final long BASE_SEED = 0x4d49_4352_0000_0000L; // "MICR"

    static LongStream seeds() {
        return Arbitrary.seeds(BASE_SEED, 1_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pricePerHourMicrosEqualsTheQuotesPricePerHour(long seed) {
        Arbitrary.Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> {
            // priced from an idle sheet at the case's reservation, as a round does
            PriceSheet idle = Fixtures.builtInEngine().priceSheet(
                    c.server().withReserved(ResourceVector.ZERO), Arbitrary.NOW);
            Quote quote = idle.withReserved(c.server().reserved()).quote(c.request(), Arbitrary.NOW);
            long expected = quote.pricePerHour().amount().movePointRight(PriceSheet.UNIT_PRICE_SCALE)
                    .longValueExact();
            assertEquals(expected, idle.pricePerHourMicros(c.request(), c.server().reserved()));
        });
    }
}
