package org.xenomarket.market.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The one rounding rule of the market's money: an amount becomes a whole number of its currency's
 * minor units (EUR cents: 2 digits, JPY: 0, from {@link Currency#getDefaultFractionDigits()}),
 * rounded half even (banker's rounding), as {@code pricing-rules}' {@code Money} rounds quotes: over
 * thousands of lines a half cent goes up as often as down, so totals carry no upward bias.
 *
 * <p>The invoice run rates in SQL through the function {@code minor_units(numerator, denominator,
 * digits)} (migration V20), which is this very rule in exact integer arithmetic (PostgreSQL's own
 * {@code round} is half away from zero, so it is not used); this class is its Java twin for amounts
 * computed in Java (a credit's fee share, a spending limit's worst case, recomputing an invoice line
 * from its trace), and a test holds the two to the same answers.
 */
public final class MinorUnits {

    private MinorUnits() {
    }

    /** {@code numerator / denominator} in minor units of {@code currency}, rounded half even. */
    public static long round(BigDecimal numerator, BigDecimal denominator, Currency currency) {
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be positive: " + denominator);
        }
        return numerator.movePointRight(digits(currency)).divide(denominator, 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    /** {@code amount} in minor units of {@code currency}, rounded half even. */
    public static long round(BigDecimal amount, Currency currency) {
        return round(amount, BigDecimal.ONE, currency);
    }

    /** A fraction of minor units (a 10 % fee on 1235 cents is 123.5) to whole minor units, by the same rule. */
    public static long roundFraction(BigDecimal minorUnits) {
        return minorUnits.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** The decimal amount that {@code minor} units of {@code currency} are, e.g. 1234 EUR cents: 12.34. */
    public static BigDecimal toAmount(long minor, Currency currency) {
        return BigDecimal.valueOf(minor, digits(currency));
    }

    /** How many decimal digits the currency's minor unit has; currencies without one (XAU) count as 0. */
    public static int digits(Currency currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }
}
