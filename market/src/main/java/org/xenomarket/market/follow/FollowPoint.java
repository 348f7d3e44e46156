package org.xenomarket.market.follow;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The point a lease follows: where its users are now, moved by its sponsor or a device of the
 * sponsor's. When a server nearer to it by more than {@link #moveWhenNearerByKm} has room at a price
 * the bid accepts, the lease's guest moves there.
 */
@Entity
@Table(name = "lease_follow")
public class FollowPoint extends PanacheEntityBase {

    @Id
    @Column(name = "lease_id")
    public UUID leaseId;

    @Column(nullable = false)
    public double latitude;

    @Column(nullable = false)
    public double longitude;

    @Column(name = "move_when_nearer_by_km", nullable = false)
    public double moveWhenNearerByKm;

    /** When the point last changed: the next change is accepted only a set interval after it. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by_token")
    public UUID updatedByToken;
}
