package org.xenomarket.market.node;

import java.util.UUID;

/** One guest on a node's host, by the lease it runs for, and its state. */
public record GuestReport(UUID leaseId, GuestStatus state) {
}
