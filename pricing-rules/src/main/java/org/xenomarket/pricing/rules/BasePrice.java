package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.Resource;

import java.math.BigDecimal;

/** Fact: a row of the base price table; region "*" is the fallback. */
public final class BasePrice {

    private final String region;
    private final Resource resource;
    private final BigDecimal price;

    public BasePrice(String region, Resource resource, BigDecimal price) {
        this.region = region;
        this.resource = resource;
        this.price = price;
    }

    public String getRegion() {
        return region;
    }

    public Resource getResource() {
        return resource;
    }

    public BigDecimal getPrice() {
        return price;
    }
}
