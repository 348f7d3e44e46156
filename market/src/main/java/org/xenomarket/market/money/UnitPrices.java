package org.xenomarket.market.money;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.util.Map;
import org.xenomarket.pricing.Resource;

/** The price of one unit of each resource, as a quote gave it and a lease agreed to it. */
@Embeddable
public class UnitPrices {

    /** Per vCPU-hour. */
    @Column(name = "unit_vcpu_hour", nullable = false)
    public BigDecimal vcpuHour;

    /** Per GiB-hour of memory. */
    @Column(name = "unit_memory_gib_hour", nullable = false)
    public BigDecimal memoryGibHour;

    /** Per GiB-hour of disk. */
    @Column(name = "unit_disk_gib_hour", nullable = false)
    public BigDecimal diskGibHour;

    /** Per GB sent out. */
    @Column(name = "unit_egress_gb", nullable = false)
    public BigDecimal egressGb;

    public static UnitPrices of(Map<Resource, BigDecimal> prices) {
        UnitPrices units = new UnitPrices();
        units.vcpuHour = prices.get(Resource.VCPU);
        units.memoryGibHour = prices.get(Resource.MEMORY);
        units.diskGibHour = prices.get(Resource.DISK);
        units.egressGb = prices.get(Resource.EGRESS);
        return units;
    }

    public UnitPrices copy() {
        UnitPrices copy = new UnitPrices();
        copy.vcpuHour = vcpuHour;
        copy.memoryGibHour = memoryGibHour;
        copy.diskGibHour = diskGibHour;
        copy.egressGb = egressGb;
        return copy;
    }
}
