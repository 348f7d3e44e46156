package org.xenomarket.market.follow.service;

/** Where a lease's users are now, and how much nearer a server must be before the lease moves to it. */
public record NewFollowPoint(double latitude, double longitude, double moveWhenNearerByKm) {
}
