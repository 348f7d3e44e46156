package org.xenomarket.market.node;

import java.util.List;
import org.xenomarket.pricing.ResourceVector;

/** A node's heartbeat: what is free on its host now, and the guests it runs. */
public record Heartbeat(ResourceVector free, List<GuestReport> guests) {
}
