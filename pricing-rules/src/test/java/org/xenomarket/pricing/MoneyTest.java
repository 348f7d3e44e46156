package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Currency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void totalsRoundHalfEvenToTheCurrencysMinorUnits() {
        assertEquals(new BigDecimal("0.12"), Money.roundToMinorUnits(new BigDecimal("0.125"), EUR).amount());
        assertEquals(new BigDecimal("0.14"), Money.roundToMinorUnits(new BigDecimal("0.135"), EUR).amount());
        assertEquals(new BigDecimal("2"), Money.roundToMinorUnits(new BigDecimal("2.5"), JPY).amount());
    }

    @Test
    void aTotalKeptAsAFractionIsRoundedOnce() {
        // 1 EUR over 3600 s for 18 s: 0.005 exactly -> HALF_EVEN 0.00, where rounding twice could give 0.01
        Money m = Money.roundToMinorUnits(new BigDecimal("18"), new BigDecimal("3600"), EUR);
        assertEquals(new BigDecimal("0.00"), m.amount());
    }

    @Test
    void currenciesDoNotMix() {
        assertThrows(IllegalArgumentException.class, () -> Money.of("1", "EUR").plus(Money.of("1", "USD")));
        assertEquals(Money.of("3.50", "EUR"), Money.of("1.25", "EUR").plus(Money.of("2.25", "EUR")));
    }
}
