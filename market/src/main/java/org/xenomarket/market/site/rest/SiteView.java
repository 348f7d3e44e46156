package org.xenomarket.market.site.rest;

import java.util.UUID;
import org.xenomarket.market.site.Site;

/** A site as the API shows it. */
public record SiteView(UUID id, String code, String region, String city, String country,
                       double latitude, double longitude, String timeZone) {

    public static SiteView of(Site site) {
        return new SiteView(site.id, site.code, site.regionCode, site.city, site.country,
                site.latitude, site.longitude, site.timeZone);
    }
}
