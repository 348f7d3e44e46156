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

/**
 * Money owed to a provider (its ledger payable, net of the platform fee booked at invoicing) sent to
 * its connected account as one Transfer. {@code grossMinor} equals {@code netMinor} and {@code feeMinor}
 * is 0: no fee is taken at payout time.
 */
@Entity
@Table(name = "payout")
public class Payout extends PanacheEntityBase {

    /** Where a payout stands. */
    public enum State { PENDING, PAID, FAILED }

    @Id
    public UUID id;

    @Column(name = "provider_id", nullable = false)
    public UUID providerId;

    /** The finance client's Idempotency-Key: a resent request finds this payout again. */
    @Column(name = "request_key", nullable = false)
    public String requestKey;

    @Column(name = "gross_minor", nullable = false)
    public long grossMinor;

    @Column(name = "fee_minor", nullable = false)
    public long feeMinor;

    @Column(name = "net_minor", nullable = false)
    public long netMinor;

    @Column(nullable = false)
    public String currency;

    /** The connected account id the transfer goes to, fixed when the payout was made. */
    @Column(nullable = false)
    public String destination;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "transfer_id")
    public String transferId;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "paid_at")
    public Instant paidAt;
}
