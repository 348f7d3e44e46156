package org.xenomarket.market.follow.move;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One move of a following lease's guest from its server to a nearer one; see {@link MoveState}. */
@Entity
@Table(name = "lease_move")
public class LeaseMove extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "lease_id", nullable = false)
    public UUID leaseId;

    @Column(name = "from_server_id", nullable = false)
    public UUID fromServerId;

    @Column(name = "to_server_id", nullable = false)
    public UUID toServerId;

    /** The lease's quote before the move. */
    @Column(name = "from_quote_id", nullable = false)
    public UUID fromQuoteId;

    /** The new server's quote: its prices and policy version become the lease's when the move is done. */
    @Column(name = "new_quote_id", nullable = false)
    public UUID newQuoteId;

    /** The instant the new server's hours were booked from (to the lease's end). */
    @Column(name = "booked_from", nullable = false)
    public Instant bookedFrom;

    /** How far the old server's site was from the follow point, and the new one's. */
    @Column(name = "from_km", nullable = false)
    public double fromKm;

    @Column(name = "to_km", nullable = false)
    public double toKm;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MoveState state;

    @Column(name = "state_reason")
    public String stateReason;

    @Column(name = "booked_at", nullable = false)
    public Instant bookedAt;

    @Column(name = "saved_at")
    public Instant savedAt;

    @Column(name = "restored_at")
    public Instant restoredAt;

    @Column(name = "done_at")
    public Instant doneAt;

    @Column(name = "failed_at")
    public Instant failedAt;
}
