package org.xenomarket.market.clearing.round;

/**
 * A bid the round left open, and why; for {@link UnmatchedCause#ABOVE_MAX} the cheapest server with
 * room and its price per hour, else {@code cheapest} is null and the price 0.
 */
public record Unmatched(RoundBid bid, UnmatchedCause cause, RoundServer cheapest, long cheapestPricePerHourMicros) {
}
