package org.xenomarket.market.node;

import java.util.List;
import org.xenomarket.market.image.HeldFile;
import org.xenomarket.pricing.ResourceVector;

/**
 * A node's heartbeat: what is free on its host now, and the guests it runs; the files its image cache
 * holds (null: not reported, the market keeps what it had) and where it serves them to its site's
 * other agents (null: nowhere).
 */
public record Heartbeat(ResourceVector free, List<GuestReport> guests, List<HeldFile> images, String imagePeerUrl) {

    public Heartbeat(ResourceVector free, List<GuestReport> guests) {
        this(free, guests, null, null);
    }
}
