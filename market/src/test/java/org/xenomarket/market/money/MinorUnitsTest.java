package org.xenomarket.market.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.Sql;

@QuarkusTest
class MinorUnitsTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency JPY = Currency.getInstance("JPY");

    private final Sql sql;

    MinorUnitsTest(Sql sql) {
        this.sql = sql;
    }

    @Test
    void euroAmountsRoundHalfEvenToCents() {
        assertEquals(1234, MinorUnits.round(new BigDecimal("12.345"), EUR));
        assertEquals(1236, MinorUnits.round(new BigDecimal("12.355"), EUR));
        assertEquals(1235, MinorUnits.round(new BigDecimal("12.3450001"), EUR));
        assertEquals(-1234, MinorUnits.round(new BigDecimal("-12.345"), EUR));
        assertEquals(new BigDecimal("12.35"), MinorUnits.toAmount(1235, EUR));
    }

    @Test
    void yenHasNoMinorDigits() {
        assertEquals(12, MinorUnits.round(new BigDecimal("12.5"), JPY));
        assertEquals(14, MinorUnits.round(new BigDecimal("13.5"), JPY));
        assertEquals(12, MinorUnits.round(new BigDecimal("12.4999"), JPY));
        assertEquals(new BigDecimal("12"), MinorUnits.toAmount(12, JPY));
    }

    @Test
    void aQuotientIsRoundedOnceFromItsExactValue() {
        // 1 s of 18 EUR/h is exactly half a cent: rounded once, to the even 0 cents; 54 EUR/h: 1.5 cents, to 2.
        assertEquals(0, MinorUnits.round(new BigDecimal("18"), new BigDecimal(3600), EUR));
        assertEquals(2, MinorUnits.round(new BigDecimal("54"), new BigDecimal(3600), EUR));
        // Just above half a cent (18.000001 EUR/h): 1 cent, where rounding the quotient first would give 0.
        assertEquals(1, MinorUnits.round(new BigDecimal("18.000001"), new BigDecimal(3600), EUR));
        assertEquals(124, MinorUnits.roundFraction(new BigDecimal("123.5")));
        assertEquals(122, MinorUnits.roundFraction(new BigDecimal("122.5")));
        assertThrows(IllegalArgumentException.class, () -> MinorUnits.round(BigDecimal.ONE, BigDecimal.ZERO, EUR));
    }

    @Test
    void theDatabaseFunctionRoundsExactlyAsJavaDoes() {
        Random random = new Random(14);
        for (int i = 0; i < 300; i++) {
            BigDecimal numerator = BigDecimal.valueOf(random.nextLong(-5_000_000_000L, 5_000_000_000L), 6)
                    .multiply(BigDecimal.valueOf(random.nextInt(1, 100_000)));
            BigDecimal denominator = BigDecimal.valueOf(new long[] {1, 3600, 3_686_400, 1_000_000_000}[i % 4]);
            if (i % 5 == 0) {
                // An exact half of a minor unit now and then, where half-even and half-up part ways.
                numerator = BigDecimal.valueOf(2 * random.nextLong(-1000, 1000) + 1).multiply(denominator)
                        .divide(BigDecimal.valueOf(200));
            }
            for (Currency currency : new Currency[] {EUR, JPY}) {
                long database = sql.number("SELECT minor_units(?::numeric, ?::numeric, ?)", numerator.toPlainString(),
                        denominator.toPlainString(), MinorUnits.digits(currency));
                assertEquals(MinorUnits.round(numerator, denominator, currency), database,
                        numerator + " / " + denominator + " in " + currency);
            }
        }
        // Exactly half a cent, both signs: to the even neighbour.
        assertEquals(0, sql.number("SELECT minor_units(0.005, 1, 2)"));
        assertEquals(2, sql.number("SELECT minor_units(0.015, 1, 2)"));
        assertEquals(-2, sql.number("SELECT minor_units(-0.015, 1, 2)"));
        assertEquals(-1, sql.number("SELECT minor_units(-0.0051, 1, 2)"));
    }
}
