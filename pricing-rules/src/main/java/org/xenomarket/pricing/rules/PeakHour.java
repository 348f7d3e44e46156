package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/** Fact: one local hour of a peak range, with the multiplier and the range it belongs to ("09:00-18:00"). */
public final class PeakHour {

    private final int localHour;
    private final BigDecimal multiplier;
    private final String range;

    public PeakHour(int localHour, BigDecimal multiplier, String range) {
        this.localHour = localHour;
        this.multiplier = multiplier;
        this.range = range;
    }

    public int getLocalHour() {
        return localHour;
    }

    public BigDecimal getMultiplier() {
        return multiplier;
    }

    public String getRange() {
        return range;
    }
}
