package org.xenomarket.market.node.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.xenomarket.market.server.Hypervisor;

/** A provider registers the node agent of one of its servers. */
public record RegisterNodeRequest(
        @NotNull UUID serverId,
        @NotBlank @Size(max = 200) String publicKey,
        @NotNull Hypervisor hypervisor,
        @NotNull @Valid HostCapacityJson capacity) {
}
