package org.xenomarket.market.capacity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.xenomarket.pricing.ResourceVector;

/** Reserved resources as bids, quotes and leases store them. */
@Embeddable
public class Resources {

    @Column(nullable = false)
    public int vcpus;

    @Column(name = "memory_mib", nullable = false)
    public long memoryMib;

    @Column(name = "disk_gib", nullable = false)
    public long diskGib;

    public static Resources of(ResourceVector vector) {
        Resources resources = new Resources();
        resources.vcpus = vector.vcpus();
        resources.memoryMib = vector.memoryMib();
        resources.diskGib = vector.diskGib();
        return resources;
    }

    public ResourceVector toVector() {
        return new ResourceVector(vcpus, memoryMib, diskGib);
    }

    @Override
    public String toString() {
        return vcpus + " vCPU, " + memoryMib + " MiB memory and " + diskGib + " GiB disk";
    }
}
