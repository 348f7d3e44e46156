package org.xenomarket.market.follow.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.follow.FollowPoint;

/** A lease's follow point, and the earliest instant it may change again. */
public record FollowView(UUID leaseId, double latitude, double longitude, double moveWhenNearerByKm,
                         Instant updatedAt, Instant nextUpdateAt) {

    static FollowView of(FollowPoint point, Duration minInterval) {
        return new FollowView(point.leaseId, point.latitude, point.longitude, point.moveWhenNearerByKm,
                point.updatedAt, point.updatedAt.plus(minInterval));
    }
}
