package org.xenomarket.market.capacity.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.xenomarket.pricing.ResourceVector;

/** Resources a guest reserves, as requests and answers spell them. */
public record ResourcesJson(
        @NotNull @Min(1) @Max(4096) Integer vcpus,
        @NotNull @Min(1) @Max(1L << 32) Long memoryMib,
        @NotNull @Min(0) @Max(1L << 24) Long diskGib) {

    public ResourceVector toVector() {
        return new ResourceVector(vcpus, memoryMib, diskGib);
    }

    public static ResourcesJson of(ResourceVector vector) {
        return new ResourcesJson(vector.vcpus(), vector.memoryMib(), vector.diskGib());
    }
}
