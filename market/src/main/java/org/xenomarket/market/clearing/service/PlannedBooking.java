package org.xenomarket.market.clearing.service;

import java.util.UUID;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.pricing.ResourceVector;

/**
 * One booking made ready but not yet written: the amounts to reserve on the server in every hour of
 * the window, the quote and the lease to store, and the reason the bid gets when marked matched.
 */
public record PlannedBooking(UUID bidId, UUID serverId, ResourceVector amounts, CapacityWindow window, Quote quote,
                             Lease lease, String reason) {
}
