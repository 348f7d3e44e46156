package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of money in one currency.
 *
 * <p>Amounts are never {@code double}. Arithmetic on the way to a total keeps full precision; the
 * one place where a total is rounded is {@link #roundToMinorUnits(BigDecimal, Currency)}.
 */
public record Money(BigDecimal amount, Currency currency) {

    /** Rounding used for every total: banker's rounding, so repeated rounding does not drift up. */
    public static final RoundingMode TOTAL_ROUNDING = RoundingMode.HALF_EVEN;

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO.setScale(minorUnits(currency)), currency);
    }

    /**
     * The named rounding place for totals: to the currency's minor units (2 for EUR, 0 for JPY),
     * HALF_EVEN.
     */
    public static Money roundToMinorUnits(BigDecimal exactAmount, Currency currency) {
        return new Money(exactAmount.setScale(minorUnits(currency), TOTAL_ROUNDING), currency);
    }

    /** The same named rounding place for a total kept as {@code dividend / divisor}: one division, one rounding. */
    public static Money roundToMinorUnits(BigDecimal dividend, BigDecimal divisor, Currency currency) {
        return new Money(dividend.divide(divisor, minorUnits(currency), TOTAL_ROUNDING), currency);
    }

    /** Number of decimals of the currency's minor unit. */
    public static int minorUnits(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException(currency + " has no minor unit and cannot price money");
        }
        return digits;
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    /** Whether the amount is already expressed in whole minor units. */
    public boolean isRounded() {
        return amount.scale() <= minorUnits(currency)
                || amount.stripTrailingZeros().scale() <= minorUnits(currency);
    }

    public long minorUnitsValue() {
        return amount.movePointRight(minorUnits(currency)).longValueExact();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
