package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.Resource;

/** Fact: a resource the market prices, for rules that hold for every server alike. */
public final class PricedResource {

    private final Resource resource;

    public PricedResource(Resource resource) {
        this.resource = resource;
    }

    public Resource getResource() {
        return resource;
    }

    public boolean isTimeBased() {
        return resource.timeBased();
    }

    public String getUnit() {
        return resource.unit();
    }
}
