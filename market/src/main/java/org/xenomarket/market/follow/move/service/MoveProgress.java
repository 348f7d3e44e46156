package org.xenomarket.market.follow.move.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.follow.move.LeaseMove;
import org.xenomarket.market.follow.move.MoveFile;
import org.xenomarket.market.follow.move.MoveState;
import org.xenomarket.market.follow.move.repository.LeaseMoveRepository;
import org.xenomarket.market.follow.move.repository.MoveFileRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.server.Server;

/**
 * A move's steps as the two nodes report them. The old server's node uploads the saved guest's files
 * (through {@link MoveFileTransfers}, each checked against the SHA-256 it names) and reports SAVED; the new server's node fetches them and
 * reports RESTORED, upon which, in one transaction, the old server's remaining hours are given back,
 * the lease is put on the new server at the new quote's prices and policy version, the move is DONE and
 * its files are deleted. Either node may report the move FAILED: the new server's hours are given back
 * and the lease stays on its old server, whose node restores the guest from the copy it kept.
 * Every report may be repeated: the step already reached is answered again and changes nothing.
 */
@ApplicationScoped
public class MoveProgress {

    private static final Logger LOG = Logger.getLogger(MoveProgress.class);
    /** The market itself failing a move that took too long (see {@link MoveSweep}). */
    private static final Actor TIMEOUT = new Actor(null, "move-timeout", null, null);

    private final LeaseMoveRepository moves;
    private final MoveFileRepository files;
    private final MoveFileTransfers transfers;
    private final LeaseRepository leases;
    private final CapacityRepository capacity;
    private final AuditLog audit;
    private final Clock clock;

    public MoveProgress(LeaseMoveRepository moves, MoveFileRepository files, MoveFileTransfers transfers,
                        LeaseRepository leases, CapacityRepository capacity, AuditLog audit, Clock clock) {
        this.moves = moves;
        this.files = files;
        this.transfers = transfers;
        this.leases = leases;
        this.capacity = capacity;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The old node saved the guest and uploaded {@code saved}: every one must be declared as named, its
     * chunks must cover it end to end and hash to its SHA-256 (checked here, with the move locked, so no
     * chunk changes it meanwhile); otherwise the move stays BOOKED and nothing held changes.
     */
    @WithTransaction
    public Uni<LeaseMove> saved(Actor node, UUID serverId, UUID moveId, List<MoveFile> saved) {
        if (saved == null || saved.isEmpty()) {
            throw new InvalidInput("files", "name the files the guest was saved to");
        }
        return locked(moveId, serverId, true).chain(move -> {
            if (move.state != MoveState.BOOKED) {
                return repeatedOr(move, MoveState.SAVED);
            }
            return files.of(List.of(moveId)).chain(held -> {
                List<MoveFile> have = held.getOrDefault(moveId, List.of());
                for (MoveFile file : saved) {
                    if (!have.contains(file)) {
                        throw new Conflict("files", "file " + file.name() + " (" + file.sha256() + ", "
                                + file.sizeBytes() + " bytes) was not uploaded for move " + moveId);
                    }
                }
                for (MoveFile file : have) {
                    // the new node is given the files held: each must be one the old node vouches for (and checked)
                    if (saved.stream().noneMatch(named -> named.name().equals(file.name()))) {
                        throw new Conflict("files", "file " + file.name() + " was uploaded for move " + moveId
                                + " but is not named; name every file the guest was saved to");
                    }
                }
                return transfers.verifyAll(moveId, saved).chain(() -> {
                    move.state = MoveState.SAVED;
                    move.savedAt = clock.instant();
                    LOG.infof("Move %s of lease %s: guest saved on %s, %d files", moveId, move.leaseId, serverId, saved.size());
                    return audit.record(node, "lease.move-saved", "lease", move.leaseId.toString(),
                            MoveState.BOOKED.name(), MoveState.SAVED.name(), "move " + moveId).replaceWith(move);
                });
            });
        });
    }

    /** The new node restored the guest: the lease is put on the new server and the move is DONE. */
    @WithTransaction
    public Uni<LeaseMove> restored(Actor node, UUID serverId, UUID moveId) {
        return locked(moveId, serverId, false).chain(move -> {
            if (move.state != MoveState.SAVED) {
                return repeatedOr(move, MoveState.DONE);
            }
            Instant now = clock.instant();
            return leases.findById(move.leaseId, LockModeType.PESSIMISTIC_WRITE).chain(lease -> lease.state != LeaseState.RUNNING
                    // the lease ended or failed meanwhile: the new node, no longer assigned it, stops its guest
                    ? fail(move, "lease " + lease.id + " became " + lease.state + " before the guest was restored")
                    : Quote.<Quote>findById(move.newQuoteId).chain(quote -> Server.<Server>findById(move.toServerId)
                            .chain(to -> giveBack(move.fromServerId, lease, CapacityWindow.tail(lease.startAt, lease.endAt, now))
                                    .chain(() -> deleteFiles(moveId))
                                    .map(ignored -> {
                                        lease.serverId = move.toServerId;
                                        lease.providerId = to.providerId;
                                        lease.quoteId = quote.id;
                                        lease.currency = quote.currency;
                                        lease.unitPrices = quote.unitPrices.copy();
                                        lease.pricePerHour = quote.pricePerHour;
                                        lease.policyVersion = quote.policyVersion;
                                        lease.stateReason = "moved from server " + move.fromServerId + " to " + to.name
                                                + " at " + now + ", nearer its users";
                                        move.state = MoveState.DONE;
                                        move.restoredAt = now;
                                        move.doneAt = now;
                                        LOG.infof("Move %s done: lease %s now runs on %s", moveId, lease.id, to.name);
                                        return move;
                                    }))
                            .call(done -> audit.record(node, "lease.moved", "lease", lease.id.toString(),
                                    move.fromServerId.toString(), move.toServerId.toString(),
                                    "move " + moveId + ", quote " + move.newQuoteId))));
        });
    }

    /**
     * Either node could not do its step: the move FAILED and the new server's hours are given back. The
     * lease stays on its old server; a guest already saved is restored there by the old node from its copy.
     */
    @WithTransaction
    public Uni<LeaseMove> failed(Actor node, UUID serverId, UUID moveId, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why == null) {
            throw new InvalidInput("reason", "say why the move failed; the lease's sponsor sees it");
        }
        return moves.locked(moveId).chain(move -> {
            if (move == null || !(move.fromServerId.equals(serverId) || move.toServerId.equals(serverId))) {
                throw new NotFound("move", moveId);
            }
            if (!MoveState.UNFINISHED.contains(move.state)) {
                return repeatedOr(move, MoveState.FAILED);
            }
            return fail(move, "reported by the node of server " + serverId + ": " + why)
                    .call(failed -> audit.record(node, "lease.move-failed", "lease", move.leaseId.toString(),
                            null, MoveState.FAILED.name(), "move " + moveId + ": " + why));
        });
    }

    /**
     * The move, if still unfinished and its last step (the save, else the booking) at or before
     * {@code stepBefore}, took longer than {@code timeout} for its step: it FAILED, exactly as if a node had reported it, giving the new server's hours back.
     * In BOOKED the guest still runs on the old node; in SAVED the old node restores its kept copy when it
     * sees the move failed; a RESTORED the new node reports afterwards is refused (409), and that node then
     * destroys the guest it restored, so the lease runs once. Answers whether this call failed it.
     */
    @WithTransaction
    public Uni<Boolean> timedOut(UUID moveId, Instant stepBefore, java.time.Duration timeout) {
        return moves.locked(moveId).chain(move -> {
            // checked again under the lock: a node may have finished, failed or saved it since it was listed
            if (move == null || !MoveState.UNFINISHED.contains(move.state)) {
                return Uni.createFrom().item(false);
            }
            // each step has the whole timeout: a large guest's upload and its fetch take a while each
            boolean saved = move.savedAt != null;
            Instant stepAt = saved ? move.savedAt : move.bookedAt;
            if (stepAt.isAfter(stepBefore)) {
                return Uni.createFrom().item(false);
            }
            String why = "timed out: not done within " + timeout + " of its " + (saved ? "save" : "booking") + " at "
                    + stepAt + " (it was " + move.state + ")";
            return fail(move, why).call(failed -> audit.record(TIMEOUT, "lease.move-failed", "lease",
                    move.leaseId.toString(), null, MoveState.FAILED.name(), "move " + moveId + ": " + why))
                    .replaceWith(true);
        });
    }

    /**
     * Fails, in the caller's transaction, every unfinished move from or to the server, which went
     * offline: the new server's hours are given back; a guest already saved is restored by the old
     * node from its copy if that node is the one still serving. Returns how many failed.
     */
    public Uni<Integer> failInvolving(UUID serverId, String reason) {
        return moves.unfinishedInvolving(serverId).chain(moving -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (LeaseMove move : moving) {
                chain = chain.chain(count -> fail(move, reason).map(failed -> count + 1));
            }
            return chain;
        });
    }

    /** Fails the move in the caller's transaction, giving the new server's hours back. */
    Uni<LeaseMove> fail(LeaseMove move, String reason) {
        Instant now = clock.instant();
        return leases.findById(move.leaseId).chain(lease -> giveBack(move.toServerId, lease,
                        CapacityWindow.tail(move.bookedFrom, lease.endAt, now)))
                .chain(() -> deleteFiles(move.id))
                .map(ignored -> {
                    LOG.infof("Move %s of lease %s failed: %s", move.id, move.leaseId, reason);
                    move.state = MoveState.FAILED;
                    move.failedAt = now;
                    move.stateReason = reason;
                    return move;
                });
    }

    /** The moves of a lease, to its sponsor or the provider of its server. */
    @WithSession
    public Uni<List<LeaseMove>> ofLease(UUID accountId, UUID leaseId) {
        return leases.findVisibleTo(leaseId, accountId).onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> moves.ofLease(leaseId));
    }

    private Uni<Integer> giveBack(UUID serverId, Lease lease, CapacityWindow window) {
        return window == null ? Uni.createFrom().item(0)
                : capacity.release(serverId, lease.resources.toVector(), window);
    }

    private Uni<Integer> deleteFiles(UUID moveId) {
        return files.deleteOf(moveId);
    }

    /** The move, locked; not found unless the node is its old server's ({@code fromServer}) or new one's. */
    private Uni<LeaseMove> locked(UUID moveId, UUID serverId, boolean fromServer) {
        return moves.locked(moveId).map(move -> {
            if (move == null || !(fromServer ? move.fromServerId : move.toServerId).equals(serverId)) {
                throw new NotFound("move", moveId);
            }
            return move;
        });
    }

    /** A report of the step the move already reached is answered again; any other is refused. */
    private static Uni<LeaseMove> repeatedOr(LeaseMove move, MoveState reported) {
        if (move.state == reported) {
            return Uni.createFrom().item(move);
        }
        throw new Conflict("state", "move " + move.id + " is " + move.state + "; it cannot become " + reported
                + (move.stateReason == null ? "" : " (" + move.stateReason + ")"));
    }
}
