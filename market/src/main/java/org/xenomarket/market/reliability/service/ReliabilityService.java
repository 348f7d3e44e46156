package org.xenomarket.market.reliability.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private final Duration providerScoreReuse;
    /** One entry per provider ever asked about: providers are few beside their servers. */
    private final Map<UUID, ProviderScore> providerScores = new ConcurrentHashMap<>();

    public ReliabilityService(AvailabilityRepository availability, Clock clock,
                              @ConfigProperty(name = "xenomarket.reliability.provider-score-reuse", defaultValue = "PT30S")
                              Duration providerScoreReuse) {
        this.availability = availability;
        this.clock = clock;
        this.providerScoreReuse = providerScoreReuse;
    }

    /** The score of each given server; a server not found is left out. */
    public Uni<Map<UUID, Reliability>> ofServers(Collection<UUID> serverIds) {
        Instant now = clock.instant();
        return availability.ofServers(List.copyOf(serverIds), now.minus(ReliabilityFormula.WINDOW), now)
                .map(records -> records.stream().collect(Collectors.toMap(TrackRecord::serverId,
                        ReliabilityFormula::score)));
    }

    /** As {@link #ofServers}, for a clearing round's thousands of servers, from what is committed. */
    public Uni<Map<UUID, Reliability>> ofManyServers(Collection<UUID> serverIds) {
        Instant now = clock.instant();
        return availability.committedOfServers(List.copyOf(serverIds), now.minus(ReliabilityFormula.WINDOW), now)
                .map(records -> records.stream().collect(Collectors.toMap(TrackRecord::serverId,
                        ReliabilityFormula::score)));
    }

    /**
     * The score of each given provider: the mean of its servers' scores, the prior when it has none.
     * A provider's score is reused for {@code provider-score-reuse} after it was computed: it is a mean
     * over a week of all its servers, which moves slowly, while computing it reads every one of them
     * (some 0.3 s for a provider of 10,000 servers), far too much for each discovery request.
     */
    public Uni<Map<UUID, Double>> ofProviders(Collection<UUID> providerIds) {
        Instant now = clock.instant();
        Map<UUID, Double> all = new HashMap<>();
        List<UUID> stale = new ArrayList<>();
        for (UUID id : new LinkedHashSet<>(providerIds)) {
            ProviderScore known = providerScores.get(id);
            if (known != null && now.isBefore(known.at().plus(providerScoreReuse)) && !now.isBefore(known.at())) {
                all.put(id, known.score());
            } else {
                stale.add(id);
            }
        }
        if (stale.isEmpty()) {
            return Uni.createFrom().item(all);
        }
        return availability.ofProviders(stale, now.minus(ReliabilityFormula.WINDOW), now).map(records -> {
            Map<UUID, Double> means = records.stream().collect(Collectors.groupingBy(TrackRecord::providerId,
                    Collectors.averagingDouble(r -> ReliabilityFormula.score(r).score())));
            stale.forEach(id -> {
                double score = means.getOrDefault(id, ReliabilityFormula.PRIOR);
                providerScores.put(id, new ProviderScore(score, now));
                all.put(id, score);
            });
            return all;
        });
    }

    /** A provider's score and when it was computed. */
    private record ProviderScore(double score, Instant at) {
    }
}
