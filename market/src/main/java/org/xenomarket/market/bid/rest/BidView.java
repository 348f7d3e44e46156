package org.xenomarket.market.bid.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.bid.BidState;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.placement.rest.ClientPlaceJson;
import org.xenomarket.pricing.ServiceClass;

/**
 * A bid as its sponsor sees it, with the lease it became if any and why it is in its state;
 * {@code latestStart} is null when the lease may begin any time from {@code start} until the bid expires.
 */
public record BidView(UUID id, BidState state, String stateReason, UUID leaseId, ServiceClass serviceClass,
                      ResourcesJson resources, BidPlacementJson placement, Instant start, int durationHours,
                      MoneyJson maxPricePerHour, Instant createdAt, Instant latestStart, Instant expiresAt,
                      Instant closedAt, Double minReliability, UUID imageId, List<ClientPlaceJson> clientPlaces,
                      AcceleratorsJson.Wanted accelerators) {

    public static BidView of(Bid bid, UUID leaseId) {
        return new BidView(bid.id, bid.state, bid.stateReason, leaseId, bid.serviceClass,
                ResourcesJson.of(bid.resources.toVector()),
                BidPlacementJson.of(bid.placement()),
                bid.startAt, bid.durationHours, MoneyJson.of(bid.maxPricePerHour, bid.currency), bid.createdAt,
                bid.latestStartAt, bid.expiresAt, bid.closedAt, bid.minReliability, bid.imageId,
                bid.clientPlaces().stream().map(ClientPlaceJson::of).toList(), AcceleratorsJson.Wanted.of(bid.accelerators()));
    }
}
