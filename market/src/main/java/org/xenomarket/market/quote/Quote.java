package org.xenomarket.market.quote;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.Resources;
import org.xenomarket.market.money.UnitPrices;
import org.xenomarket.pricing.ServiceClass;

/**
 * A price given to a sponsor for resources on one server over a window, with the rules that made
 * it and the policy version that held them. Leases keep the quote they were priced by, so every
 * charge can be traced to its rules.
 */
@Entity
@Table(name = "quote")
public class Quote extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "sponsor_id", nullable = false)
    public UUID sponsorId;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Enumerated(EnumType.STRING)
    @Column(name = "service_class", nullable = false)
    public ServiceClass serviceClass;

    @Embedded
    public Resources resources;

    @Column(name = "expected_egress_gb", nullable = false)
    public long expectedEgressGb;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    @Column(name = "duration_hours", nullable = false)
    public int durationHours;

    @Column(nullable = false)
    public String currency;

    @Embedded
    public UnitPrices unitPrices;

    @Column(name = "price_per_hour", nullable = false)
    public BigDecimal pricePerHour;

    @Column(nullable = false)
    public BigDecimal total;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "quote_price_effect", joinColumns = @JoinColumn(name = "quote_id"))
    @OrderColumn(name = "position")
    public List<PriceEffectLine> breakdown = new ArrayList<>();

    /** Where the sponsor said the clients are (long-haul egress), in its order; empty when it named none. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "quote_client_place", joinColumns = @JoinColumn(name = "quote_id"))
    @OrderColumn(name = "position")
    public List<ClientPlaceLine> clientPlaces = new ArrayList<>();

    /** The accelerator model asked for; null with {@link #acceleratorCount} when none. */
    @Column(name = "accelerator_model")
    public String acceleratorModel;

    @Column(name = "accelerator_count")
    public Integer acceleratorCount;

    @Column(name = "policy_version", nullable = false)
    public String policyVersion;

    /**
     * The price sheet a clearing round priced this quote from (V79), or null: such a quote stores no
     * breakdown rows; its breakdown is worked out again from the sheet, {@link #pricedReserved} and the
     * request, when read ({@link #recomputedBreakdown}).
     */
    @Column(name = "price_sheet_id")
    public UUID priceSheetId;

    /** What was reserved on the server when the round priced this quote; set with {@link #priceSheetId}. */
    @AttributeOverride(name = "vcpus", column = @Column(name = "priced_reserved_vcpus"))
    @AttributeOverride(name = "memoryMib", column = @Column(name = "priced_reserved_memory_mib"))
    @AttributeOverride(name = "diskGib", column = @Column(name = "priced_reserved_disk_gib"))
    @Embedded
    public Resources pricedReserved;

    /** The breakdown worked out again from {@link #priceSheetId}, for a quote that stores none; never stored. */
    @Transient
    public List<PriceEffectLine> recomputedBreakdown;

    @Column(name = "valid_until", nullable = false)
    public Instant validUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
