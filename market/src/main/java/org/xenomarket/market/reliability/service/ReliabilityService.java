package org.xenomarket.market.reliability.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
import java.util.concurrent.CompletableFuture;
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
    private final ScoreFlights flights = new ScoreFlights();

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
     * (14–16 ms of PostgreSQL for a provider of 10,000 servers), far too much for each discovery request.
     * When it runs out, one request computes it and those asking meanwhile wait for that computation
     * ({@link ScoreFlights}) instead of each running it again; should it fail, they compute it themselves.
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
        ScoreFlights.Plan plan = flights.plan(stale, now, providerScoreReuse);
        Map<UUID, ScoreFlights.Flight> leads = plan.leads();
        Uni<Map<UUID, Double>> led = leads.isEmpty() ? Uni.createFrom().item(Map.of())
                : compute(List.copyOf(leads.keySet()), now)
                        .invoke(scores -> leads.forEach((id, flight) -> flight.score().complete(scores.get(id))))
                        .onFailure().invoke(failure -> leads.values()
                                .forEach(flight -> flight.score().completeExceptionally(failure)))
                        .onCancellation().invoke(() -> leads.values()
                                .forEach(flight -> flight.score().cancel(false)))
                        .onTermination().invoke(() -> leads.forEach(flights::land));
        return led.chain(scores -> {
            all.putAll(scores);
            return plan.joins().isEmpty() ? Uni.createFrom().item(all) : joined(plan.joins(), now).map(joined -> {
                all.putAll(joined);
                return all;
            });
        });
    }

    /**
     * The scores of flights other requests lead, handed back on this request's Vert.x context (where its
     * session must continue); computed here if a flight failed or was cancelled.
     */
    private Uni<Map<UUID, Double>> joined(Map<UUID, CompletableFuture<Double>> joins, Instant now) {
        Context context = Vertx.currentContext();
        // allOf is a future of its own: cancelling this wait never cancels the flights others wait on
        Uni<Void> done = Uni.createFrom().completionStage(
                CompletableFuture.allOf(joins.values().toArray(CompletableFuture[]::new)));
        if (context != null) {
            done = done.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return done.map(ignored -> {
                    Map<UUID, Double> scores = new HashMap<>();
                    joins.forEach((id, score) -> scores.put(id, score.join()));
                    return scores;
                })
                .onFailure().recoverWithUni(() -> compute(List.copyOf(joins.keySet()), now));
    }

    /** Computes the providers' scores as of {@code now} and keeps them for reuse. */
    private Uni<Map<UUID, Double>> compute(List<UUID> providerIds, Instant now) {
        return availability.ofProviders(providerIds, now.minus(ReliabilityFormula.WINDOW), now).map(records -> {
            Map<UUID, Double> means = records.stream().collect(Collectors.groupingBy(TrackRecord::providerId,
                    Collectors.averagingDouble(r -> ReliabilityFormula.score(r).score())));
            Map<UUID, Double> scores = new HashMap<>();
            providerIds.forEach(id -> {
                double score = means.getOrDefault(id, ReliabilityFormula.PRIOR);
                providerScores.put(id, new ProviderScore(score, now));
                scores.put(id, score);
            });
            return scores;
        });
    }

    /** A provider's score and when it was computed. */
    private record ProviderScore(double score, Instant at) {
    }
}
