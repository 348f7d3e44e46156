package org.xenomarket.market.node.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A node's heartbeat: what is free on its host and which guests run there. */
public record HeartbeatRequest(
        @NotNull @Valid FreeCapacityJson free,
        @NotNull @Size(max = 4096) List<@NotNull @Valid GuestReportJson> guests) {
}
