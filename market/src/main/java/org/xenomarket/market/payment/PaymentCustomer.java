package org.xenomarket.market.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A sponsor's Stripe Customer and the payment method saved for charging it off-session. */
@Entity
@Table(name = "payment_customer")
public class PaymentCustomer extends PanacheEntityBase {

    @Id
    @Column(name = "sponsor_id")
    public UUID sponsorId;

    @Column(name = "stripe_customer_id", nullable = false)
    public String stripeCustomerId;

    @Column(name = "payment_method_id")
    public String paymentMethodId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
