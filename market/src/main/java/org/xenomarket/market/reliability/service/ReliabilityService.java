package org.xenomarket.market.reliability.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.xenomarket.market.reliability.Reliability;
import org.xenomarket.market.reliability.ReliabilityFormula;
import org.xenomarket.market.reliability.TrackRecord;
import org.xenomarket.market.reliability.repository.AvailabilityRepository;

/**
 * Reliability scores of servers and providers, computed on demand from the trailing window
 * (offline periods and lease outcomes are few per server, so this stays one cheap query).
 * Callers run it inside a session.
 */
@ApplicationScoped
public class ReliabilityService {

    private final AvailabilityRepository availability;
    private final Clock clock;

    public ReliabilityService(AvailabilityRepository availability, Clock clock) {
        this.availability = availability;
        this.clock = clock;
    }

    /** The score of each given server; a server not found is left out. */
    public Uni<Map<UUID, Reliability>> ofServers(Collection<UUID> serverIds) {
        Instant now = clock.instant();
        return availability.ofServers(List.copyOf(serverIds), now.minus(ReliabilityFormula.WINDOW), now)
                .map(records -> records.stream().collect(Collectors.toMap(TrackRecord::serverId,
                        ReliabilityFormula::score)));
    }

    /** The score of each given provider: the mean of its servers' scores, the prior when it has none. */
    public Uni<Map<UUID, Double>> ofProviders(Collection<UUID> providerIds) {
        Instant now = clock.instant();
        List<UUID> ids = providerIds.stream().distinct().toList();
        return availability.ofProviders(ids, now.minus(ReliabilityFormula.WINDOW), now).map(records -> {
            Map<UUID, Double> means = records.stream().collect(Collectors.groupingBy(TrackRecord::providerId,
                    Collectors.averagingDouble(r -> ReliabilityFormula.score(r).score())));
            Map<UUID, Double> all = new HashMap<>();
            ids.forEach(id -> all.put(id, means.getOrDefault(id, ReliabilityFormula.PRIOR)));
            return all;
        });
    }
}
