package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/** Fact: a row of the duration discount table. */
public final class DurationTier {

    private final long minHours;
    private final BigDecimal discount;

    public DurationTier(long minHours, BigDecimal discount) {
        this.minHours = minHours;
        this.discount = discount;
    }

    public long getMinHours() {
        return minHours;
    }

    public BigDecimal getDiscount() {
        return discount;
    }
}
