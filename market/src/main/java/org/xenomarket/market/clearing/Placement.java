package org.xenomarket.market.clearing;

/** Where a sponsor wants its guest: within {@code withinKm} of a point. */
public record Placement(double latitude, double longitude, double withinKm) {
}
