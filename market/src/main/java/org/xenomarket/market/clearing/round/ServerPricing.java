package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.ResourceVector;

/** Prices a bid on one server, given what is already reserved there: the price per hour in micro-units. */
@FunctionalInterface
public interface ServerPricing {

    /**
     * What the bid would pay per hour on this server with {@code reserved} already reserved (the price
     * is taken at the utilisation including the bid), in micro-units of the market currency.
     */
    long pricePerHourMicros(RoundBid bid, ResourceVector reserved);

    /**
     * What the whole lease would cost the bid here, egress to its client places included, in micro-units:
     * what a round ranks servers by when the bid names client places (as immediate matching does). By
     * default the price per hour times the bid's hours (no egress known), saturating at Long.MAX_VALUE.
     */
    default long totalMicros(RoundBid bid, ResourceVector reserved) {
        long perHour = pricePerHourMicros(bid, reserved);
        long hours = bid.durationHours();
        return perHour > Long.MAX_VALUE / Math.max(1, hours) ? Long.MAX_VALUE : perHour * hours;
    }
}
