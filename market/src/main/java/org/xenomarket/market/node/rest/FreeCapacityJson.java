package org.xenomarket.market.node.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** What is free on a node's host now, after its running guests. */
public record FreeCapacityJson(
        @NotNull @Min(0) @Max(4096) Integer vcpus,
        @NotNull @Min(0) @Max(1L << 32) Long memoryMib,
        @NotNull @Min(0) @Max(1L << 24) Long diskGib) {
}
