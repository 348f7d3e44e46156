package org.xenomarket.market.site.rest;

import org.xenomarket.market.site.NewSite;

/** Sites between the wire and the domain. */
public final class SiteMapper {

    private SiteMapper() {
    }

    public static NewSite toNewSite(CreateSiteRequest request) {
        return new NewSite(request.code(), request.region(), request.city(), request.country(), request.latitude(),
                request.longitude(), request.timeZone());
    }
}
