package org.xenomarket.market.clearing.preemption;

import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/** The best-effort leases to pre-empt on one server, and the most reserved in any hour once they are. */
public record PreemptionPlan(List<Holding> victims, ResourceVector peakAfter) {
}
