package org.xenomarket.pricing.rules;

/**
 * Fact: a region with at least one server being priced. Prices that depend only on the region are
 * decided once per region, not once per server.
 */
public final class PricedRegion {

    private final String code;

    public PricedRegion(String code) {
        this.code = code;
    }

    public String getCode() {
        return code;
    }
}
