package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/** Fact: a row of the location premium table, region code to multiplier. */
public final class LocationPremium {

    private final String region;
    private final BigDecimal multiplier;

    public LocationPremium(String region, BigDecimal multiplier) {
        this.region = region;
        this.multiplier = multiplier;
    }

    public String getRegion() {
        return region;
    }

    public BigDecimal getMultiplier() {
        return multiplier;
    }
}
