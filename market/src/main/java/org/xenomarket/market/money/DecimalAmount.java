package org.xenomarket.market.money;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.xenomarket.market.problem.InvalidInput;

/**
 * Reads an amount of money the API received as a decimal string. The length is checked before
 * anything is parsed ({@code new BigDecimal} of a megabyte of digits is quadratic work), and only
 * plain decimals are taken: "1e999999999" is short, but moving its point allocates without bound.
 */
public final class DecimalAmount {

    /** More than any amount the market stores (18 digits before the point, 18 after) needs. */
    public static final int MAX_LENGTH = 40;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?\\d{1,18}(\\.\\d{1,18})?");

    private DecimalAmount() {
    }

    /** The amount, or a 400 naming {@code field}; {@code example} shows the client a well-formed one. */
    public static BigDecimal parse(String field, String text, String example) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput(field, "is required: a decimal number such as \"" + example + "\"");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidInput(field, "must be at most " + MAX_LENGTH + " characters");
        }
        String trimmed = text.trim();
        if (!PLAIN_DECIMAL.matcher(trimmed).matches()) {
            throw new InvalidInput(field, "must be a decimal number such as \"" + example + "\"");
        }
        return new BigDecimal(trimmed);
    }
}
