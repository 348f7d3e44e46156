package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ServerSnapshot;

import java.math.BigDecimal;

/** Fact: one server being priced: who provides it, where it is and how full it is. */
public final class Server {

    private final ServerSnapshot snapshot;

    public Server(ServerSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    public String getServerId() {
        return snapshot.serverId();
    }

    public String getProviderId() {
        return snapshot.providerId();
    }

    public String getRegionCode() {
        return snapshot.regionCode();
    }

    public String getZoneId() {
        return snapshot.zone().getId();
    }

    /** Share of a time-based resource reserved before any new request (0..1, six decimals). */
    public BigDecimal utilisation(Resource resource) {
        return PolicyFacts.utilisation(snapshot.capacity(), snapshot.reserved(), resource);
    }
}
