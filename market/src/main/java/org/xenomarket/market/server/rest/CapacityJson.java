package org.xenomarket.market.server.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** What a server can host in all. */
public record CapacityJson(
        @NotNull @Min(1) @Max(4096) Integer vcpus,
        @NotNull @Min(1) @Max(1L << 32) Long memoryMib,
        @NotNull @Min(1) @Max(1L << 24) Long diskGib,
        @NotNull @Min(1) @Max(1_000_000) Long egressMbps) {
}
