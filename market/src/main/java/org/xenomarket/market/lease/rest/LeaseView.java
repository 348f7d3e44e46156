package org.xenomarket.market.lease.rest;

import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.lease.FailureCause;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.money.UnitPricesJson;
import org.xenomarket.pricing.ServiceClass;

/**
 * A lease as its sponsor and its server's provider see it. {@code failureCause} says, for a FAILED
 * lease, whether the server (HOST) or the bid's catalogue image (IMAGE) was at fault.
 */
public record LeaseView(UUID id, LeaseState state, UUID bidId, UUID quoteId, UUID serverId, UUID sponsorId,
                        UUID providerId, ServiceClass serviceClass, ResourcesJson resources, Instant start,
                        Instant end, MoneyJson pricePerHour, UnitPricesJson unitPrices, String policyVersion,
                        Instant createdAt, String stateReason, FailureCause failureCause, Instant runningAt,
                        Instant failedAt,
                        Instant endedAt, Instant preemptedAt, Instant suspendedAt,
                        AcceleratorsJson.Assigned accelerators) {

    public static LeaseView of(Lease lease) {
        return new LeaseView(lease.id, lease.state, lease.bidId, lease.quoteId, lease.serverId, lease.sponsorId,
                lease.providerId, lease.serviceClass,
                ResourcesJson.of(lease.resources.toVector()),
                lease.startAt, lease.endAt, MoneyJson.of(lease.pricePerHour, lease.currency),
                UnitPricesJson.of(lease.unitPrices, lease.currency),
                lease.policyVersion, lease.createdAt,
                lease.stateReason, lease.failureCause, lease.runningAt, lease.failedAt, lease.endedAt, lease.preemptedAt,
                lease.suspendedAt,
                AcceleratorsJson.Assigned.of(lease.acceleratorModel, lease.acceleratorCount, lease.acceleratorDevices));
    }
}
