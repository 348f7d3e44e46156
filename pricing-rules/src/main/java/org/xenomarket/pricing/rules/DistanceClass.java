package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/** Fact: a row of the distance class table (long-haul egress); {@code maxKm} is null on the farthest class. */
public final class DistanceClass {

    private final String name;
    private final Long maxKm;
    private final BigDecimal multiplier;

    public DistanceClass(String name, Long maxKm, BigDecimal multiplier) {
        this.name = name;
        this.maxKm = maxKm;
        this.multiplier = multiplier;
    }

    public String getName() {
        return name;
    }

    public Long getMaxKm() {
        return maxKm;
    }

    /** "up to 500 km", or "beyond" for the farthest class: how reasons name the range. */
    public String getRange() {
        return maxKm == null ? "farthest" : "up to " + maxKm + " km";
    }

    public BigDecimal getMultiplier() {
        return multiplier;
    }
}
