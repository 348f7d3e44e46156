package org.xenomarket.market.node.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A node's heartbeat: what is free on its host and which guests run there; optionally the files its
 * verified image cache holds (absent: the market keeps what it last heard) and the base URL it serves
 * them from to the other agents of its site (absent: it serves none).
 */
public record HeartbeatRequest(
        @NotNull @Valid FreeCapacityJson free,
        @NotNull @Size(max = 4096) List<@NotNull @Valid GuestReportJson> guests,
        @Size(max = MAX_HELD_FILES) List<@NotNull @Valid HeldFileJson> images,
        @Size(max = 2048) @Pattern(regexp = "(?i)https?://[^\\s]+", message = "must be an http or https URL") String imagePeerUrl) {

    /** The most cached files a heartbeat lists; a cache of more reports its first ones. */
    public static final int MAX_HELD_FILES = 4096;

    public HeartbeatRequest(FreeCapacityJson free, List<GuestReportJson> guests) {
        this(free, guests, null, null);
    }
}
