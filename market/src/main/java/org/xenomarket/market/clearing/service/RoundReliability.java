package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.xenomarket.market.reliability.service.ReliabilityService;
import org.xenomarket.market.server.Server;

/**
 * Loads the reliability scores a round's servers are compared with against bids' minimum
 * reliability: the same scores discovery shows ({@link ReliabilityService}). Kept apart from the round's
 * loading so the scores come from one query per round, not one per bid.
 */
@ApplicationScoped
public class RoundReliability {

    private final ReliabilityService reliability;

    public RoundReliability(ReliabilityService reliability) {
        this.reliability = reliability;
    }

    /**
     * The score of each of the round's servers that has one, by server id; a server left out has no score,
     * and {@link RoundInputs#serverOf(Server, org.xenomarket.market.site.Site,
     * org.xenomarket.pricing.ResourceVector, org.xenomarket.pricing.PriceSheet, Double)} takes null for it.
     * Read through the reactive client on a connection of its own, from what is committed.
     */
    public Uni<Map<UUID, Double>> ofServers(List<Server> servers) {
        if (servers.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return reliability.ofManyServers(servers.stream().map(s -> s.id).toList())
                .map(scores -> scores.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().score())));
    }
}
