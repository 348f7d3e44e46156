package org.xenomarket.market.clearing.service;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where one round's time went, phase by phase, summed over its passes: reading servers, bids and
 * peak reservations; building price sheets; matching; booking (quotes, leases, capacity, bids and
 * the lease events their insert notifies); writing the reasons of bids left open. Kept so a round
 * reports its own profile (docs/benchmarks.md) rather than one total.
 */
final class RoundPhases {

    enum Phase { LOAD, SHEETS, MATCHING, BOOKING, REASONS }

    private final AtomicLongArray nanos = new AtomicLongArray(Phase.values().length);

    /** Adds the time since {@code startedNanos} to the phase; returns now, to start the next phase from. */
    long add(Phase phase, long startedNanos) {
        long now = System.nanoTime();
        nanos.addAndGet(phase.ordinal(), now - startedNanos);
        return now;
    }

    long millis(Phase phase) {
        return nanos.get(phase.ordinal()) / 1_000_000;
    }
}
