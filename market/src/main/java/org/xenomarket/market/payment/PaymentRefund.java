package org.xenomarket.market.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Money paid on an invoice sent back to the sponsor: one Stripe Refund of the PaymentIntent that paid it. */
@Entity
@Table(name = "payment_refund")
public class PaymentRefund extends PanacheEntityBase {

    /** Where a refund stands. */
    public enum State { PENDING, SUCCEEDED, FAILED }

    @Id
    public UUID id;

    @Column(name = "invoice_id", nullable = false)
    public UUID invoiceId;

    /** The finance client's Idempotency-Key: a resent request finds this refund again. */
    @Column(name = "request_key", nullable = false)
    public String requestKey;

    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;

    @Column(nullable = false)
    public String currency;

    @Column(name = "payment_intent_id", nullable = false)
    public String paymentIntentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "stripe_refund_id")
    public String stripeRefundId;

    public String reason;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
