package org.xenomarket.market.follow.move.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.follow.move.LeaseMove;
import org.xenomarket.market.follow.move.MoveState;

/** A move of a lease as its sponsor sees it: where from and to, how far each is from the point, and its step. */
public record MoveView(UUID id, UUID leaseId, UUID fromServerId, UUID toServerId, UUID fromQuoteId, UUID newQuoteId,
                       double fromKm, double toKm, MoveState state, String stateReason, Instant bookedAt,
                       Instant savedAt, Instant restoredAt, Instant doneAt, Instant failedAt) {

    public static MoveView of(LeaseMove move) {
        return new MoveView(move.id, move.leaseId, move.fromServerId, move.toServerId, move.fromQuoteId,
                move.newQuoteId, move.fromKm, move.toKm, move.state, move.stateReason, move.bookedAt, move.savedAt,
                move.restoredAt, move.doneAt, move.failedAt);
    }
}
