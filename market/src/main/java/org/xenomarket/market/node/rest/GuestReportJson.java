package org.xenomarket.market.node.rest;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.xenomarket.market.node.GuestStatus;

/** One guest on a node's host and its state. */
public record GuestReportJson(@NotNull UUID leaseId, @NotNull GuestStatus state) {
}
