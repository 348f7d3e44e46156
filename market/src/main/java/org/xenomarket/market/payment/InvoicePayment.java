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

/** The collection of one invoice through Stripe: its current attempt, state and dunning clock. */
@Entity
@Table(name = "invoice_payment")
public class InvoicePayment extends PanacheEntityBase {

    @Id
    @Column(name = "invoice_id")
    public UUID invoiceId;

    @Column(name = "sponsor_id", nullable = false)
    public UUID sponsorId;

    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;

    @Column(nullable = false)
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PaymentState state;

    @Column(nullable = false)
    public int attempt;

    @Column(nullable = false)
    public int failures;

    @Column(name = "payment_intent_id")
    public String paymentIntentId;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "first_failed_at")
    public Instant firstFailedAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "paid_at")
    public Instant paidAt;

    @Column(name = "paid_by")
    public String paidBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The Stripe idempotency key of this payment's current attempt: the same for every resend of it. */
    public String idempotencyKey() {
        return IdempotencyKeys.paymentAttempt(invoiceId, attempt);
    }
}
