package org.xenomarket.market.spending.rest;

import java.time.Instant;
import java.util.Currency;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.spending.SpendingLimit;
import org.xenomarket.market.spending.service.SpendingLimits;

/** A sponsor's monthly limit and the room it has left this month. */
public record SpendingLimitView(MoneyJson monthlyLimit, MoneyJson roomLeft, Instant setAt) {

    static SpendingLimitView of(SpendingLimits.Standing standing) {
        SpendingLimit limit = standing.limit();
        long roomLeftMinor = standing.roomLeftMinor();
        Currency currency = Currency.getInstance(limit.currency());
        return new SpendingLimitView(MoneyJson.of(MinorUnits.toAmount(limit.monthlyLimitMinor(), currency), currency),
                MoneyJson.of(MinorUnits.toAmount(roomLeftMinor, currency), currency), limit.setAt());
    }
}
