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
}
