package org.xenomarket.market.server.service;

import org.xenomarket.market.reliability.Reliability;
import org.xenomarket.market.server.Offer;

/** A server discovery found: its offer, its reliability, and its provider's. */
public record NearbyServer(Offer offer, Reliability reliability, double providerReliability) {
}
