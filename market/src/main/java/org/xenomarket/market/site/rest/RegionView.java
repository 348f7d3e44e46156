package org.xenomarket.market.site.rest;

import org.xenomarket.market.site.Region;

/** A region as the API shows it. */
public record RegionView(String code, String name) {

    static RegionView of(Region region) {
        return new RegionView(region.code, region.name);
    }
}
