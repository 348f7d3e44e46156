package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.Resource;

import java.math.BigDecimal;

/** Fact: a provider's minimum unit price for one resource of one server. */
public final class ServerFloor {

    private final String serverId;
    private final Resource resource;
    private final BigDecimal price;

    public ServerFloor(String serverId, Resource resource, BigDecimal price) {
        this.serverId = serverId;
        this.resource = resource;
        this.price = price;
    }

    public String getServerId() {
        return serverId;
    }

    public Resource getResource() {
        return resource;
    }

    public BigDecimal getPrice() {
        return price;
    }
}
