package org.xenomarket.market.clearing.round;

import org.xenomarket.pricing.ResourceVector;

/**
 * A bid the round placed: on which server, at what price per hour (never above the bid's max), and
 * what was reserved on the server when the price was taken (so a full quote can be made at it).
 */
public record Assignment(RoundBid bid, RoundServer server, long pricePerHourMicros, ResourceVector pricedAt) {
}
