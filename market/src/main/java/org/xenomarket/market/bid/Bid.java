package org.xenomarket.market.bid;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.placement.ClientPlacesText;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.market.security.Actor;
import org.xenomarket.pricing.ServiceClass;

/** A sponsor's offer to pay up to a price per hour for resources near a place over a window. */
@Entity
@Table(name = "bid")
public class Bid extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "sponsor_id", nullable = false)
    public UUID sponsorId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_fingerprint", nullable = false)
    public byte[] requestFingerprint;

    @Enumerated(EnumType.STRING)
    @Column(name = "service_class", nullable = false)
    public ServiceClass serviceClass;

    @Embedded
    public Resources resources;

    /** Null when the bid is placed by regions. */
    @Column(name = "near_latitude")
    public Double nearLatitude;

    @Column(name = "near_longitude")
    public Double nearLongitude;

    @Column(name = "within_km")
    public Double withinKm;

    /** Region codes, comma separated; null when the bid is placed near a point. */
    @Column(name = "regions")
    public String regions;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    /** The latest the lease may begin; null means exactly at {@code startAt}. */
    @Column(name = "latest_start_at")
    public Instant latestStartAt;

    /** An open bid past this instant is swept to EXPIRED. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** When it was cancelled or expired. */
    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "duration_hours", nullable = false)
    public int durationHours;

    @Column(nullable = false)
    public String currency;

    @Column(name = "max_price_per_hour", nullable = false)
    public BigDecimal maxPricePerHour;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BidState state;

    /** Why the bid is where it is, in words for the sponsor. */
    @Column(name = "state_reason")
    public String stateReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The least reliability score a server must have to host this bid; null: any. */
    @Column(name = "min_reliability")
    public Double minReliability;

    /** The catalogue image the guest boots; null: the node's configured image. */
    @Column(name = "image_id")
    public UUID imageId;

    /** Where the sponsor said the clients are, as {@link ClientPlacesText}; null when it named none. */
    @Column(name = "client_places")
    public String clientPlacesText;

    /** The accelerator model asked for; null with {@link #acceleratorCount} when none. */
    @Column(name = "accelerator_model")
    public String acceleratorModel;

    @Column(name = "accelerator_count")
    public Integer acceleratorCount;

    /**
     * Who placed the bid, for its audit event; not stored with the bid (the audit log keeps it). Carried
     * here so the bid's path from submission to storage needs no extra parameter.
     */
    @Transient
    public Actor placedBy;

    public Placement placement() {
        return regions == null ? new Placement(nearLatitude, nearLongitude, withinKm)
                : Placement.inRegions(java.util.List.of(regions.split(",")));
    }

    /** The bid's client places (long-haul egress), in the sponsor's order; empty when none. */
    public java.util.List<ClientPlace> clientPlaces() {
        return ClientPlacesText.read(clientPlacesText);
    }

    /** What pricing is asked for this bid's lease from {@code start}: its resources, class and client places. */
    public QuoteRequest pricingRequest(java.time.Instant start) {
        return new QuoteRequest(resources.toVector(), 0, serviceClass, start, duration(), sponsorId.toString(),
                clientPlaces(), accelerators());
    }

    /** The accelerators the bid asks for; null when none. */
    public AcceleratorDemand accelerators() {
        return acceleratorModel == null ? null : new AcceleratorDemand(acceleratorModel, acceleratorCount);
    }

    public Duration duration() {
        return Duration.ofHours(durationHours);
    }
}
