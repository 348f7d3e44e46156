package org.xenomarket.pricing;

import java.math.BigDecimal;

/**
 * Exact fixed-point helpers for the quote hot path: a value is {@code unscaled / 10^scale} in a long.
 * Every operation is exact or rounds HALF_EVEN exactly like {@link BigDecimal#setScale}; anything that
 * would overflow throws {@link ArithmeticException}, and the caller falls back to BigDecimal.
 */
final class Fixed {

    static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Fixed() {
    }

    /** The unscaled long of a decimal with trailing zeros stripped and a scale of at least 0. */
    static long unscaled(BigDecimal value) {
        return stripped(value).unscaledValue().longValueExact();
    }

    static int scale(BigDecimal value) {
        return stripped(value).scale();
    }

    private static BigDecimal stripped(BigDecimal value) {
        BigDecimal s = value.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** Whether a decimal fits the fixed-point form. */
    static boolean fits(BigDecimal value) {
        return stripped(value).unscaledValue().bitLength() < 63;
    }

    /** {@code unscaled / 10^scale} as micro-units (6 decimals), HALF_EVEN; unscaled must not be negative. */
    static long toMicro(long unscaled, int scale) {
        if (scale <= 6) {
            return Math.multiplyExact(unscaled, pow10(6 - scale));
        }
        return divideHalfEven(unscaled, pow10(scale - 6));
    }

    static long pow10(int n) {
        if (n >= POW10.length) {
            throw new ArithmeticException("10^" + n + " does not fit a long");
        }
        return POW10[n];
    }

    /** a / b rounded half to even, for a >= 0 and b > 0. */
    static long divideHalfEven(long a, long b) {
        return org.xenomarket.pricing.rules.PolicyFacts.divideHalfEven(a, b);
    }
}
