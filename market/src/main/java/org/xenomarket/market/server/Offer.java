package org.xenomarket.market.server;

import org.xenomarket.market.site.Site;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.ResourceVector;

/**
 * A server that could host a request: how far it is, what it has free in the request's window,
 * and, when the request fits, what it would cost there now.
 */
public record Offer(Server server, Site site, double distanceKm, ResourceVector free, Quote price) {

    public boolean fits() {
        return price != null;
    }
}
