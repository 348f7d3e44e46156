package org.xenomarket.pricing;

/** A priced resource of a server, with the unit its prices are quoted in. */
public enum Resource {
    VCPU("vCPU-hour", "vCPU", true),
    MEMORY("GiB-hour", "memory", true),
    DISK("GiB-hour", "disk", true),
    EGRESS("GB", "egress", false);

    private final String unit;
    private final String label;
    private final boolean timeBased;

    Resource(String unit, String label, boolean timeBased) {
        this.unit = unit;
        this.label = label;
        this.timeBased = timeBased;
    }

    /** The unit a price of this resource is per, e.g. "vCPU-hour". */
    public String unit() {
        return unit;
    }

    /** The word a finance reader sees in a breakdown, e.g. "vCPU". */
    public String label() {
        return label;
    }

    /** True for resources reserved per hour (vCPU, memory, disk); egress is priced per GB moved. */
    public boolean timeBased() {
        return timeBased;
    }
}
