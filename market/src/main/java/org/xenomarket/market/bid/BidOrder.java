package org.xenomarket.market.bid;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * What a sponsor bids for: these resources, in this placement, for this many hours, at no more
 * than {@code maxPricePerHour} in {@code currency}. {@code start}, {@code latestStart} and
 * {@code expiresAt} are null when the sponsor left them to the market (start now, start exactly
 * then, expire by the market's rule); the difference matters to the idempotency fingerprint.
 * {@code image} is a catalogue image's name, or null for the node's own. {@code clientPlaces} (may be
 * empty) are where the lease's clients are: its quote prices egress to them by distance class.
 * {@code accelerators} (null: none) asks for devices of one GPU model of the policy's catalogue.
 */
public record BidOrder(ServiceClass serviceClass, ResourceVector resources, Placement placement, Instant start,
                       Instant latestStart, Instant expiresAt, int durationHours, BigDecimal maxPricePerHour,
                       String currency, Double minReliability, String image, List<ClientPlace> clientPlaces,
                       AcceleratorDemand accelerators) {

    public BidOrder {
        clientPlaces = clientPlaces == null ? List.of() : List.copyOf(clientPlaces);
    }

    /** An order asking for no accelerators. */
    public BidOrder(ServiceClass serviceClass, ResourceVector resources, Placement placement, Instant start,
                    Instant latestStart, Instant expiresAt, int durationHours, BigDecimal maxPricePerHour,
                    String currency, Double minReliability, String image, List<ClientPlace> clientPlaces) {
        this(serviceClass, resources, placement, start, latestStart, expiresAt, durationHours, maxPricePerHour,
                currency, minReliability, image, clientPlaces, null);
    }
}
