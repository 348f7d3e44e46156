package org.xenomarket.market.clearing.round;

/** A bid the round placed: on which server, at what price per hour (never above the bid's max). */
public record Assignment(RoundBid bid, RoundServer server, long pricePerHourMicros) {
}
