package org.xenomarket.market.reliability.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Providers' scores being computed now, so that requests asking at the same time share one computation (single
 * flight): a provider's score is reused for a while, and when it runs out every nearby search then in progress
 * used to compute it again, each reading all of the provider's servers (14–16 ms of PostgreSQL for 10,000).
 */
final class ScoreFlights {

    /** A computation of one provider's score, started for the instant {@code at}. */
    record Flight(Instant at, CompletableFuture<Double> score) {
    }

    /**
     * What a caller does for the providers it found stale: compute those it {@code leads} (and complete their
     * futures, then {@link #land} them), wait for those it {@code joins}.
     */
    record Plan(Map<UUID, Flight> leads, Map<UUID, CompletableFuture<Double>> joins) {
    }

    private final Map<UUID, Flight> running = new ConcurrentHashMap<>();

    /**
     * Joins the computations running for {@code providerIds} that started within {@code reuse} before
     * {@code now} (their score is as good as a reused one) and leads the others. A flight too old to join
     * (its computation hangs or the clock moved) is left running and computed again, not shared.
     */
    Plan plan(Collection<UUID> providerIds, Instant now, Duration reuse) {
        Map<UUID, Flight> leads = new LinkedHashMap<>();
        Map<UUID, CompletableFuture<Double>> joins = new LinkedHashMap<>();
        for (UUID id : new LinkedHashSet<>(providerIds)) {
            Flight mine = new Flight(now, new CompletableFuture<>());
            Flight other = running.putIfAbsent(id, mine);
            if (other == null) {
                leads.put(id, mine);
            } else if (!now.isBefore(other.at()) && now.isBefore(other.at().plus(reuse))) {
                joins.put(id, other.score());
            } else {
                leads.put(id, mine); // not registered: nobody waits on it but its leader
            }
        }
        return new Plan(leads, joins);
    }

    /** Ends a flight this caller led (after completing its future, normally or not). */
    void land(UUID providerId, Flight flight) {
        running.remove(providerId, flight);
    }
}
