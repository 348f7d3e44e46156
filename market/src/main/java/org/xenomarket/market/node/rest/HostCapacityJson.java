package org.xenomarket.market.node.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** What a node's host really has for leases, as its agent measured it. */
public record HostCapacityJson(
        @NotNull @Min(1) @Max(4096) Integer vcpus,
        @NotNull @Min(1) @Max(1L << 32) Long memoryMib,
        @NotNull @Min(1) @Max(1L << 24) Long diskGib) {
}
