package org.xenomarket.market.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A provider's Stripe Connect account, the destination of its payouts. */
@Entity
@Table(name = "connected_account")
public class ConnectedAccount extends PanacheEntityBase {

    @Id
    @Column(name = "provider_id")
    public UUID providerId;

    @Column(name = "stripe_account_id", nullable = false)
    public String stripeAccountId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
