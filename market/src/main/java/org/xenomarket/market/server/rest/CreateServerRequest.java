package org.xenomarket.market.server.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.xenomarket.market.server.Hypervisor;

/** A provider lists a server: at which site, how big, under which hypervisor, with which floor prices. */
public record CreateServerRequest(
        @NotBlank @Size(max = 100) String name,
        @NotBlank @Size(max = 64) String site,
        @NotNull @Valid CapacityJson capacity,
        @NotNull Hypervisor hypervisor,
        @Valid FloorPricesJson floorPrices) {
}
