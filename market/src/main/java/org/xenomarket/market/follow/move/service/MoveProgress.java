package org.xenomarket.market.follow.move.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.lease.LeaseState;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xenomarket.market.follow.move.HeldChunk;
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
 * (each checked against the SHA-256 it names) and reports SAVED; the new server's node fetches them and
 * reports RESTORED, upon which, in one transaction, the old server's remaining hours are given back,
 * the lease is put on the new server at the new quote's prices and policy version, the move is DONE and
 * its files are deleted. Either node may report the move FAILED: the new server's hours are given back
 * and the lease stays on its old server, whose node restores the guest from the copy it kept.
 * Every report may be repeated: the step already reached is answered again and changes nothing.
 */
@ApplicationScoped
public class MoveProgress {

    private static final Logger LOG = Logger.getLogger(MoveProgress.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** 16 MiB: the request body limit, and what the database holds in one chunk row (V88). */
    public static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;
    /** 1 TiB: far above any saved guest, a bound only so a number cannot overflow what is stored. */
    public static final long MAX_FILE_BYTES = 1L << 40;
    /** The market itself failing a move that took too long (see {@link MoveSweep}). */
    private static final Actor TIMEOUT = new Actor(null, "move-timeout", null, null);

    private final LeaseMoveRepository moves;
    private final MoveFileRepository files;
    private final LeaseRepository leases;
    private final CapacityRepository capacity;
    private final AuditLog audit;
    private final Clock clock;
    private final int chunkMaxBytes;

    public MoveProgress(LeaseMoveRepository moves, MoveFileRepository files, LeaseRepository leases,
                        CapacityRepository capacity, AuditLog audit, Clock clock,
                        @ConfigProperty(name = "xenomarket.follow.move-chunk-max-bytes", defaultValue = "8388608")
                        int chunkMaxBytes) {
        if (chunkMaxBytes < 1 || chunkMaxBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("xenomarket.follow.move-chunk-max-bytes is 1 to " + MAX_CHUNK_BYTES
                    + " (the request body limit and the database's bound on a chunk), not " + chunkMaxBytes);
        }
        this.chunkMaxBytes = chunkMaxBytes;
        this.moves = moves;
        this.files = files;
        this.leases = leases;
        this.capacity = capacity;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores one chunk of a saved file from the old server's node: the bytes at {@code offset} of the file
     * declared by its whole {@code sha256} and {@code sizeBytes}. A chunk sent again replaces itself. The
     * whole file's SHA-256 is checked when the node reports SAVED, once every chunk is here.
     */
    public Uni<MoveFile> uploadChunk(UUID serverId, UUID moveId, String name, String sha256, Long sizeBytes,
                                     Long offset, byte[] content) {
        MoveFile file = declared(name, sha256, sizeBytes);
        if (offset == null || offset < 0) {
            throw new InvalidInput("offset", "name where the chunk starts in the file, in bytes from 0");
        }
        if (content.length > chunkMaxBytes) {
            throw new InvalidInput("content", "a chunk is at most " + chunkMaxBytes + " bytes, this one has "
                    + content.length + "; send the file in smaller chunks");
        }
        if (content.length == 0 && !(offset == 0 && file.sizeBytes() == 0)) {
            throw new InvalidInput("content", "a chunk has at least one byte (only an empty file is sent as one empty chunk)");
        }
        if (offset > file.sizeBytes() - content.length) { // as subtracted, no offset near Long.MAX_VALUE overflows
            throw new InvalidInput("offset", "the chunk's bytes " + offset + " to " + (offset + content.length)
                    + " lie beyond the file's declared size of " + file.sizeBytes() + " bytes");
        }
        return store(serverId, moveId, file, offset, content);
    }

    /**
     * Stores a whole saved file from the old server's node in one request (a file that fits in one
     * request body: its content must hash to {@code sha256}); larger files are sent in chunks.
     */
    public Uni<MoveFile> upload(UUID serverId, UUID moveId, String name, String sha256, byte[] content) {
        MoveFile file = declared(name, sha256, (long) content.length);
        String actual = sha256Of(content);
        if (!actual.equals(sha256)) {
            throw new InvalidInput("sha256", "the file's content has SHA-256 " + actual + ", not " + sha256
                    + "; it was damaged on the way and is not stored");
        }
        return store(serverId, moveId, file, 0, content);
    }

    private Uni<MoveFile> store(UUID serverId, UUID moveId, MoveFile file, long offset, byte[] content) {
        return files.putChunk(moveId, serverId, file, offset, content).chain(stored -> stored ? Uni.createFrom().item(file)
                : Panache.withSession(() -> moves.findById(moveId)).map(move -> {
                    if (move == null || !move.fromServerId.equals(serverId)) {
                        throw new NotFound("move", moveId);
                    }
                    throw new Conflict("state", "move " + moveId + " is " + move.state
                            + "; files are taken only while it is BOOKED");
                }));
    }

    private static MoveFile declared(String name, String sha256, Long sizeBytes) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("name", "a file name is 1 to 100 letters, digits, '.', '_' or '-'");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidInput("sha256", "name the file's SHA-256 as 64 lower-case hex digits");
        }
        if (sizeBytes == null || sizeBytes < 0 || sizeBytes > MAX_FILE_BYTES) {
            throw new InvalidInput("sizeBytes", "name the whole file's size in bytes, 0 to " + MAX_FILE_BYTES);
        }
        return new MoveFile(name, sha256, sizeBytes);
    }

    /** The chunk of the file that starts at {@code offset}, for the new server's node while the move is SAVED. */
    public Uni<HeldChunk> fetchChunk(UUID serverId, UUID moveId, String name, Long offset) {
        if (offset == null || offset < 0) {
            throw new InvalidInput("offset", "name where the chunk starts in the file, in bytes from 0");
        }
        return files.getChunk(moveId, name, offset, serverId)
                .onItem().ifNull().failWith(() -> new NotFound("move file chunk", name + "@" + offset));
    }

    /**
     * A whole file, for the new server's node while the move is SAVED, when it is held as one chunk (a
     * file uploaded whole); a file held in more chunks is refused, naming where its next chunk starts.
     */
    public Uni<HeldChunk> fetch(UUID serverId, UUID moveId, String name) {
        return fetchChunk(serverId, moveId, name, 0L).map(first -> {
            if (first.nextOffset() != first.fileSizeBytes()) {
                throw new Conflict("name", "file " + name + " has " + first.fileSizeBytes() + " bytes in chunks; "
                        + "fetch it chunk by chunk from files/" + name + "/chunks/0 (the next at "
                        + first.nextOffset() + ")");
            }
            return first;
        });
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
                return verifyAll(moveId, saved).chain(() -> {
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
     * The move, if still unfinished and booked at or before {@code bookedBefore}, took longer than
     * {@code timeout}: it FAILED, exactly as if a node had reported it, giving the new server's hours back.
     * In BOOKED the guest still runs on the old node; in SAVED the old node restores its kept copy when it
     * sees the move failed; a RESTORED the new node reports afterwards is refused (409), and that node then
     * destroys the guest it restored, so the lease runs once. Answers whether this call failed it.
     */
    @WithTransaction
    public Uni<Boolean> timedOut(UUID moveId, Instant bookedBefore, java.time.Duration timeout) {
        return moves.locked(moveId).chain(move -> {
            // checked again under the lock: a node may have finished or failed it since it was listed
            if (move == null || !MoveState.UNFINISHED.contains(move.state) || move.bookedAt.isAfter(bookedBefore)) {
                return Uni.createFrom().item(false);
            }
            String why = "timed out: not done within " + timeout + " of its booking at " + move.bookedAt
                    + " (it was " + move.state + ")";
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

    /** Every saved file is held whole, its chunks hashing to its SHA-256; the move stays BOOKED otherwise. */
    private Uni<Void> verifyAll(UUID moveId, List<MoveFile> saved) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < saved.size(); i++) {
            int index = i;
            chain = chain.chain(() -> verify(moveId, saved.get(index), "files[" + index + "]"));
        }
        return chain;
    }

    /**
     * The file's chunks meet end to end from byte 0 to its size, and their bytes, read one chunk at a
     * time (a file of GiB is never held whole), hash to its SHA-256.
     */
    private Uni<Void> verify(UUID moveId, MoveFile file, String field) {
        return files.spans(moveId, file.name()).chain(spans -> {
            long next = 0;
            for (MoveFileRepository.ChunkSpan span : spans) {
                if (span.offsetBytes() != next) {
                    throw new Conflict(field, "file " + file.name() + " has " + (span.offsetBytes() < next
                            ? "chunks that overlap at byte " + span.offsetBytes()
                            : "no chunk for bytes " + next + " to " + span.offsetBytes())
                            + "; send its chunks again");
                }
                next = span.end();
            }
            if (next != file.sizeBytes()) {
                throw new Conflict(field, "file " + file.name() + " has " + file.sizeBytes() + " bytes but its chunks"
                        + " end at byte " + next + "; send the missing chunks");
            }
            MessageDigest digest = sha256();
            Uni<Void> reading = Uni.createFrom().voidItem();
            for (MoveFileRepository.ChunkSpan span : spans) {
                reading = reading.chain(() -> files.chunk(moveId, file.name(), span.offsetBytes())
                        .invoke(digest::update).replaceWithVoid());
            }
            return reading.invoke(() -> {
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(file.sha256())) {
                    throw new Conflict(field + ".sha256", "file " + file.name() + " as held has SHA-256 " + actual
                            + ", not " + file.sha256() + "; a chunk was damaged on the way: send its chunks again");
                }
            });
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Of(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }
}
