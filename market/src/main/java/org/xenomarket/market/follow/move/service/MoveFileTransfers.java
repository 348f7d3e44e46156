package org.xenomarket.market.follow.move.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xenomarket.market.follow.move.HeldChunk;
import org.xenomarket.market.follow.move.HeldFile;
import org.xenomarket.market.follow.move.MoveFile;
import org.xenomarket.market.follow.move.repository.LeaseMoveRepository;
import org.xenomarket.market.follow.move.repository.MoveFileRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;

/**
 * A saved guest's files on their way through the market, apart from the move's steps
 * ({@link MoveProgress}): the old server's node uploads them in chunks, each checked against the
 * file it declares, the new server's node fetches them chunk by chunk, and at the SAVED step each file
 * is checked whole (its chunks end to end, hashing to its SHA-256), one chunk in memory at a time.
 * Which node may touch which file at which step is checked by {@link MoveFileRepository}'s statements.
 */
@ApplicationScoped
public class MoveFileTransfers {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** 16 MiB: the request body limit, and what the database holds in one chunk row (V88). */
    public static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;
    /** 1 TiB: far above any saved guest, a bound only so a number cannot overflow what is stored. */
    public static final long MAX_FILE_BYTES = 1L << 40;

    private final LeaseMoveRepository moves;
    private final MoveFileRepository files;
    private final int chunkMaxBytes;

    public MoveFileTransfers(LeaseMoveRepository moves, MoveFileRepository files,
                             @ConfigProperty(name = "xenomarket.follow.move-chunk-max-bytes", defaultValue = "8388608")
                             int chunkMaxBytes) {
        if (chunkMaxBytes < 1 || chunkMaxBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("xenomarket.follow.move-chunk-max-bytes is 1 to " + MAX_CHUNK_BYTES
                    + " (the request body limit and the database's bound on a chunk), not " + chunkMaxBytes);
        }
        this.moves = moves;
        this.files = files;
        this.chunkMaxBytes = chunkMaxBytes;
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

    /**
     * What is held of a file for the old server's node: an upload that broke off (the agent died, the
     * network went) resumes by sending only the chunks missing or different, not the whole file again.
     */
    public Uni<HeldFile> held(UUID serverId, UUID moveId, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("name", "a file name is 1 to 100 letters, digits, '.', '_' or '-'");
        }
        return files.held(moveId, name, serverId).onItem().ifNull().failWith(() -> new NotFound("move", moveId));
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
     * For the SAVED step, with the move locked by the caller: every saved file is held whole,, 
     * its chunks hashing to its SHA-256; a 409 naming the file otherwise (the move then stays BOOKED).
     */
    Uni<Void> verifyAll(UUID moveId, List<MoveFile> saved) {
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
