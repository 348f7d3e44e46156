package org.xenomarket.market.server.rest;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.reliability.ReliabilityFormula;
import org.xenomarket.market.reliability.rest.ReliabilityJson;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.service.NearbyServer;
import org.xenomarket.market.site.rest.SiteView;

/**
 * A server found near a place: how far, what it has free in the window asked about, what the
 * resources asked about would cost there per hour now and in total for the window with the egress
 * expected to the search point (both absent when they do not fit), and how reliable it and its provider
 * have been.
 */
@JsonSerialize(using = NearbyServerJson.class)
public record NearbyServerView(UUID id, String name, SiteView site, double distanceKm, ResourcesJson free,
                               boolean fits, MoneyJson pricePerHour, MoneyJson total, String policyVersion,
                               ReliabilityJson reliability, UUID providerId, double providerReliability,
                               List<AcceleratorsJson.OfModel> accelerators) {

    public static NearbyServerView of(NearbyServer found) {
        Offer offer = found.offer();
        return new NearbyServerView(offer.server().id, offer.server().name, SiteView.of(offer.site()),
                Math.round(offer.distanceKm() * 10) / 10.0, ResourcesJson.of(offer.free()), offer.fits(),
                offer.fits() ? MoneyJson.of(offer.price().pricePerHour()) : null,
                offer.fits() ? MoneyJson.of(offer.price().total()) : null,
                offer.fits() ? offer.price().policyVersion() : null,
                ReliabilityJson.of(found.reliability()), offer.server().providerId,
                ReliabilityFormula.rounded(found.providerReliability()),
                AcceleratorsJson.OfModel.ofServer(offer.server().accelerators));
    }
}
