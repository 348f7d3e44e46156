package org.xenomarket.pricing;

/** Amounts of reservable resources: vCPUs, memory in MiB and disk in GiB. */
public record ResourceVector(int vcpus, long memoryMib, long diskGib) {

    public static final ResourceVector ZERO = new ResourceVector(0, 0, 0);

    public ResourceVector {
        if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
            throw new IllegalArgumentException(
                    "resources must not be negative: " + vcpus + " vCPU, " + memoryMib + " MiB, " + diskGib + " GiB");
        }
    }

    public ResourceVector plus(ResourceVector other) {
        return new ResourceVector(
                Math.addExact(vcpus, other.vcpus),
                Math.addExact(memoryMib, other.memoryMib),
                Math.addExact(diskGib, other.diskGib));
    }

    /** Whether every amount of this vector is at most the other's. */
    public boolean fitsWithin(ResourceVector other) {
        return vcpus <= other.vcpus && memoryMib <= other.memoryMib && diskGib <= other.diskGib;
    }

    /**
     * The amount of a time-based resource in its pricing unit (vCPU, GiB); exact, since MiB/1024 is a
     * terminating decimal.
     */
    public java.math.BigDecimal quantity(Resource resource) {
        return switch (resource) {
            case VCPU -> java.math.BigDecimal.valueOf(vcpus);
            case MEMORY -> java.math.BigDecimal.valueOf(memoryMib).multiply(GIB_PER_MIB);
            case DISK -> java.math.BigDecimal.valueOf(diskGib);
            case EGRESS -> throw new IllegalArgumentException("egress is not a reserved resource");
        };
    }

    /** The raw amount of a time-based resource in this vector's own units (vCPU, MiB, GiB). */
    public long raw(Resource resource) {
        return switch (resource) {
            case VCPU -> vcpus;
            case MEMORY -> memoryMib;
            case DISK -> diskGib;
            case EGRESS -> throw new IllegalArgumentException("egress is not a reserved resource");
        };
    }

    /** 1/1024 exactly: multiplying is exact and much cheaper than an exact division. */
    private static final java.math.BigDecimal GIB_PER_MIB = new java.math.BigDecimal("0.0009765625");
}
