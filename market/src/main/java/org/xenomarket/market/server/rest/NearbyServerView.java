package org.xenomarket.market.server.rest;

import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.clearing.Offer;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.site.rest.SiteView;

/**
 * A server found near a place: how far, what it has free in the window asked about, and what the
 * resources asked about would cost there per hour now (absent when they do not fit).
 */
public record NearbyServerView(UUID id, String name, SiteView site, double distanceKm, ResourcesJson free,
                               boolean fits, MoneyJson pricePerHour, String policyVersion) {

    public static NearbyServerView of(Offer offer) {
        return new NearbyServerView(offer.server().id, offer.server().name, SiteView.of(offer.site()),
                Math.round(offer.distanceKm() * 10) / 10.0, ResourcesJson.of(offer.free()), offer.fits(),
                offer.fits() ? MoneyJson.of(offer.price().pricePerHour()) : null,
                offer.fits() ? offer.price().policyVersion() : null);
    }
}
