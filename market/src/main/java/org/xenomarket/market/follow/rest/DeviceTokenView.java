package org.xenomarket.market.follow.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.follow.service.FollowService;

/** A device token just made: its secret is in this answer only. */
public record DeviceTokenView(UUID id, UUID leaseId, String label, String role, Instant expiresAt, String token) {

    static DeviceTokenView of(FollowService.DeviceToken made) {
        return new DeviceTokenView(made.token().id, made.token().leaseId, made.token().label,
                made.token().role.label(), made.token().expiresAt, made.secret());
    }
}
