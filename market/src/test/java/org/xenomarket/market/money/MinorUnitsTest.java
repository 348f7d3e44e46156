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
    void euroAmountsRoundHalfUpToCents() {
        assertEquals(1235, MinorUnits.round(new BigDecimal("12.345"), EUR));
        assertEquals(1234, MinorUnits.round(new BigDecimal("12.3449999"), EUR));
        assertEquals(-1235, MinorUnits.round(new BigDecimal("-12.345"), EUR));
        assertEquals(new BigDecimal("12.35"), MinorUnits.toAmount(1235, EUR));
    }

    @Test
    void yenHasNoMinorDigits() {
        assertEquals(13, MinorUnits.round(new BigDecimal("12.5"), JPY));
        assertEquals(12, MinorUnits.round(new BigDecimal("12.4999"), JPY));
        assertEquals(new BigDecimal("12"), MinorUnits.toAmount(12, JPY));
    }

    @Test
    void aQuotientIsRoundedOnceFromItsExactValue() {
        // 0.125 cents per hour-second: 1 s of 4.5 EUR/h is 0.00125 EUR, half a tenth of a cent.
        assertEquals(0, MinorUnits.round(new BigDecimal("4.5"), new BigDecimal(3600), EUR));
        assertEquals(1, MinorUnits.round(new BigDecimal("18"), new BigDecimal(3600), EUR));
        assertEquals(1, MinorUnits.round(new BigDecimal("1.8"), new BigDecimal(360), EUR));
        assertThrows(IllegalArgumentException.class, () -> MinorUnits.round(BigDecimal.ONE, BigDecimal.ZERO, EUR));
    }

    @Test
    void theDatabaseFunctionRoundsExactlyAsJavaDoes() {
        Random random = new Random(14);
        for (int i = 0; i < 300; i++) {
            BigDecimal numerator = BigDecimal.valueOf(random.nextLong(-5_000_000_000L, 5_000_000_000L), 6)
                    .multiply(BigDecimal.valueOf(random.nextInt(1, 100_000)));
            BigDecimal denominator = BigDecimal.valueOf(new long[] {1, 3600, 3_686_400, 1_000_000_000}[i % 4]);
            for (Currency currency : new Currency[] {EUR, JPY}) {
                long database = sql.number("SELECT minor_units(?::numeric, ?::numeric, ?)", numerator.toPlainString(),
                        denominator.toPlainString(), MinorUnits.digits(currency));
                assertEquals(MinorUnits.round(numerator, denominator, currency), database,
                        numerator + " / " + denominator + " in " + currency);
            }
        }
        // Exactly half a cent, both signs: away from zero.
        assertEquals(1, sql.number("SELECT minor_units(0.005, 1, 2)"));
        assertEquals(-1, sql.number("SELECT minor_units(-0.005, 1, 2)"));
    }
}
