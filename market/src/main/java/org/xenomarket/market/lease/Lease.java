package org.xenomarket.market.lease;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.money.UnitPrices;
import org.xenomarket.pricing.ServiceClass;

/**
 * Resources on one server granted to a sponsor for a window, at the unit prices of the quote that
 * matched it; those prices and the policy version stay with the lease for billing.
 */
@Entity
@Table(name = "lease")
public class Lease extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "bid_id", nullable = false)
    public UUID bidId;

    @Column(name = "quote_id", nullable = false)
    public UUID quoteId;

    @Column(name = "sponsor_id", nullable = false)
    public UUID sponsorId;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(name = "provider_id", nullable = false)
    public UUID providerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "service_class", nullable = false)
    public ServiceClass serviceClass;

    @Embedded
    public Resources resources;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    @Column(name = "end_at", nullable = false)
    public Instant endAt;

    @Column(nullable = false)
    public String currency;

    @Embedded
    public UnitPrices unitPrices;

    @Column(name = "price_per_hour", nullable = false)
    public BigDecimal pricePerHour;

    @Column(name = "policy_version", nullable = false)
    public String policyVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LeaseState state;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Why the lease is in its state, in words for the sponsor; always set when it failed. */
    @Column(name = "state_reason")
    public String stateReason;

    /** When its guest first ran. */
    @Column(name = "running_at")
    public Instant runningAt;

    /** Whose fault its failure was; set when it failed, null otherwise. Only HOST counts against the server. */
    @Enumerated(EnumType.STRING)
    @Column(name = "failure_cause")
    public FailureCause failureCause;

    /** When it failed: the sponsor is not charged beyond this instant. */
    @Column(name = "failed_at")
    public Instant failedAt;

    /** When its guest was stopped at the lease's end. */
    @Column(name = "ended_at")
    public Instant endedAt;

    /**
     * When this best-effort lease was pre-empted for reserved demand: its end was moved to the end
     * of the notice, and its guest must stop by then. Null if it never was.
     */
    @Column(name = "preempted_at")
    public Instant preemptedAt;
    /** The accelerator model the lease holds devices of; null with the count and devices when none. */
    @Column(name = "accelerator_model")
    public String acceleratorModel;

    @Column(name = "accelerator_count")
    public Integer acceleratorCount;

    /** The devices it holds, as {@link org.xenomarket.market.capacity.AcceleratorsText#devices}. */
    @Column(name = "accelerator_devices")
    public String acceleratorDevices;

    /** Set while the sponsor or an operator has the guest suspended; null when it may run. */
    @Column(name = "suspended_at")
    public Instant suspendedAt;
}
