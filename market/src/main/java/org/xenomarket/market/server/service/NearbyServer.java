package org.xenomarket.market.server.service;

import org.xenomarket.market.clearing.Offer;
import org.xenomarket.market.reliability.Reliability;

/** A server discovery found: its offer, its reliability, and its provider's. */
public record NearbyServer(Offer offer, Reliability reliability, double providerReliability) {
}
