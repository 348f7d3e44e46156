package org.xenomarket.market.server.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.xenomarket.market.capacity.rest.AcceleratorsJson.Listed;
import org.xenomarket.market.server.Hypervisor;

/**
 * A provider lists a server: at which site, how big, under which hypervisor, with which floor prices and
 * which accelerators (GPUs) by model: at most 8 models, each listed once.
 */
public record CreateServerRequest(
        @NotBlank @Size(max = 100) String name,
        @NotBlank @Size(max = 64) String site,
        @NotNull @Valid CapacityJson capacity,
        @NotNull Hypervisor hypervisor,
        @Valid FloorPricesJson floorPrices,
        @Size(max = 8) List<@NotNull @Valid Listed> accelerators) {

    /** A listing without accelerators. */
    public CreateServerRequest(String name, String site, CapacityJson capacity, Hypervisor hypervisor,
                               FloorPricesJson floorPrices) {
        this(name, site, capacity, hypervisor, floorPrices, null);
    }
}
