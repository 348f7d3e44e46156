package org.xenomarket.market.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One PaymentIntent asked for an invoice, with its idempotency key and what became of it. */
@Entity
@Table(name = "payment_attempt")
@IdClass(PaymentAttempt.Key.class)
public class PaymentAttempt extends PanacheEntityBase {

    /** The composite key: invoice and attempt number. */
    public record Key(UUID invoiceId, int attempt) implements Serializable {

        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "invoice_id")
    public UUID invoiceId;

    @Id
    public int attempt;

    @Column(name = "idempotency_key", nullable = false)
    public String idempotencyKey;

    @Column(name = "payment_intent_id")
    public String paymentIntentId;

    /** SENT, UNKNOWN, SUCCEEDED, PROCESSING or DECLINED. */
    @Column(nullable = false)
    public String outcome;

    public String error;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
