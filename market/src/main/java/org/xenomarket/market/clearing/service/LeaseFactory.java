package org.xenomarket.market.clearing.service;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.server.Offer;

/** Makes the lease a matched bid becomes, at the prices of the quote that matched it. */
final class LeaseFactory {

    private LeaseFactory() {
    }

    static Lease of(Bid bid, Offer offer, Quote quote, UUID id, Instant now) {
        return of(bid, offer, quote, id, now, bid.startAt);
    }

    /** The lease beginning at {@code start}, an instant within the bid's window. */
    static Lease of(Bid bid, Offer offer, Quote quote, UUID id, Instant now, Instant start) {
        Lease lease = new Lease();
        lease.id = id;
        lease.bidId = bid.id;
        lease.quoteId = quote.id;
        lease.sponsorId = bid.sponsorId;
        lease.serverId = offer.server().id;
        lease.providerId = offer.server().providerId;
        lease.serviceClass = bid.serviceClass;
        lease.resources = Resources.of(bid.resources.toVector());
        lease.startAt = start;
        lease.endAt = start.plus(bid.duration());
        lease.currency = quote.currency;
        lease.unitPrices = quote.unitPrices.copy();
        lease.pricePerHour = quote.pricePerHour;
        lease.policyVersion = quote.policyVersion;
        if (bid.acceleratorModel != null) {
            // the devices themselves are set when the booking takes them
            lease.acceleratorModel = bid.acceleratorModel;
            lease.acceleratorCount = bid.acceleratorCount;
        }
        lease.state = LeaseState.PENDING;
        lease.createdAt = now;
        return lease;
    }
}
