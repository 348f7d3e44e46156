package org.xenomarket.market.server.rest;

import java.time.Instant;
import java.util.List;
import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import java.util.UUID;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.reliability.Reliability;
import org.xenomarket.market.reliability.rest.ReliabilityJson;
import org.xenomarket.market.server.Hypervisor;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.rest.SiteView;

/** A server as the API shows it. */
public record ServerView(UUID id, String name, UUID providerId, SiteView site, CapacityJson capacity,
                         Hypervisor hypervisor, ServerState state, FloorPrices floorPrices, Instant createdAt,
                         ReliabilityJson reliability, List<AcceleratorsJson.OfModel> accelerators) {

    /** The provider's floor prices per unit. */
    public record FloorPrices(MoneyJson vcpuHour, MoneyJson memoryGibHour, MoneyJson diskGibHour, MoneyJson egressGb) {
    }

    /** The same server without its floor prices, for callers who may not see them. */
    public ServerView withoutFloorPrices() {
        return new ServerView(id, name, providerId, site, capacity, hypervisor, state, null, createdAt, reliability,
                accelerators);
    }

    public static ServerView of(Server server, Site site, Reliability reliability) {
        return new ServerView(server.id, server.name, server.providerId, SiteView.of(site),
                new CapacityJson(server.vcpus, server.memoryMib, server.diskGib, server.egressMbps),
                server.hypervisor, server.state,
                new FloorPrices(MoneyJson.of(server.floorVcpuHour, server.currency),
                        MoneyJson.of(server.floorMemoryGibHour, server.currency),
                        MoneyJson.of(server.floorDiskGibHour, server.currency),
                        MoneyJson.of(server.floorEgressGb, server.currency)),
                server.createdAt, ReliabilityJson.of(reliability), AcceleratorsJson.OfModel.ofServer(server.accelerators));
    }
}
