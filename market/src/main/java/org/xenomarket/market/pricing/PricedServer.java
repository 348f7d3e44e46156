package org.xenomarket.market.pricing;

import java.math.BigDecimal;
import java.util.UUID;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;

/**
 * What pricing reads of a stored server. The server entity implements it, so that `server` may use
 * pricing while pricing never depends on `server` (no package cycle).
 */
public interface PricedServer {

    /** The id its price sheet is kept under. */
    UUID pricedId();

    /** The provider that lists it. */
    UUID pricedProviderId();

    /** What it can host: vCPUs, memory MiB and disk GiB. */
    ResourceVector pricedCapacity();

    /** The provider's floor price of one unit of the resource; null or zero means no floor. */
    BigDecimal pricedFloor(Resource resource);
}
