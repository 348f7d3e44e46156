package org.xenomarket.market.server;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.pricing.PricedServer;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;

/** A Xenoserver listed by a provider: where it stands, what it can host, and the provider's floor prices. */
@Entity
@Table(name = "server")
public class Server extends PanacheEntityBase implements PricedServer {

    @Id
    public UUID id;

    @Column(name = "provider_id", nullable = false)
    public UUID providerId;

    @Column(name = "site_id", nullable = false)
    public UUID siteId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int vcpus;

    @Column(name = "memory_mib", nullable = false)
    public long memoryMib;

    @Column(name = "disk_gib", nullable = false)
    public long diskGib;

    @Column(name = "egress_mbps", nullable = false)
    public long egressMbps;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Hypervisor hypervisor;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ServerState state;

    /** Currency of the floor prices: the market's pricing currency. */
    @Column(nullable = false)
    public String currency;

    @Column(name = "floor_vcpu_hour", nullable = false)
    public BigDecimal floorVcpuHour;

    @Column(name = "floor_memory_gib_hour", nullable = false)
    public BigDecimal floorMemoryGibHour;

    @Column(name = "floor_disk_gib_hour", nullable = false)
    public BigDecimal floorDiskGibHour;

    @Column(name = "floor_egress_gb", nullable = false)
    public BigDecimal floorEgressGb;

    /** The accelerators listed, as {@link org.xenomarket.market.capacity.AcceleratorsText}; null: none. */
    @Column(name = "accelerators")
    public String accelerators;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Override
    public UUID pricedId() {
        return id;
    }

    @Override
    public UUID pricedProviderId() {
        return providerId;
    }

    @Override
    public ResourceVector pricedCapacity() {
        return new ResourceVector(vcpus, memoryMib, diskGib);
    }

    @Override
    public BigDecimal pricedFloor(Resource resource) {
        return switch (resource) {
            case VCPU -> floorVcpuHour;
            case MEMORY -> floorMemoryGibHour;
            case DISK -> floorDiskGibHour;
            case EGRESS -> floorEgressGb;
        };
    }
}
