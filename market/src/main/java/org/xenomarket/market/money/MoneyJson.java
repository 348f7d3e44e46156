package org.xenomarket.market.money;

import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Currency;
import org.xenomarket.pricing.Money;

/**
 * An amount of money as the API spells it: the amount as a decimal string, so that no client's
 * JSON parser turns it into a binary floating-point number, and the ISO 4217 currency code.
 */
public record MoneyJson(@Size(max = DecimalAmount.MAX_LENGTH) String amount, @Size(max = 3) String currency) {

    public static MoneyJson of(BigDecimal amount, String currency) {
        return new MoneyJson(amount.toPlainString(), currency);
    }

    public static MoneyJson of(Money money) {
        return of(money.amount(), money.currency().getCurrencyCode());
    }

    public static MoneyJson of(BigDecimal amount, Currency currency) {
        return of(amount, currency.getCurrencyCode());
    }
}
