package org.xenomarket.market.follow.move.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.follow.move.HeldChunk;
import org.xenomarket.market.follow.move.HeldFile;
import org.xenomarket.market.follow.move.MoveFile;

/**
 * The files of saved guests, held in the database as private objects of their move: each file declared
 * once (name, SHA-256, size) and its bytes held as chunks of a few MiB, one row each, keyed by the
 * offset they start at. Each statement checks in itself that the node asking is the one the move's step
 * is for, so no state read earlier can let a chunk in or out at the wrong step. Never part of the image
 * catalogue.
 */
@ApplicationScoped
public class MoveFileRepository {

    /**
     * The move, while it is the old server's node's to save. FOR SHARE: a chunk waits for a report of
     * SAVED being decided (which locks the move), and is then refused, so no chunk changes a file after
     * the market checked its SHA-256.
     */
    private static final String SAVING = """
            SELECT 1 FROM lease_move WHERE id = $1 AND from_server_id = $2 AND state = 'BOOKED' FOR SHARE
            """;

    private static final String DECLARE = """
            INSERT INTO lease_move_file (move_id, name, sha256, size_bytes, uploaded_at) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (move_id, name) DO NOTHING
            """;

    private static final String DECLARED = """
            SELECT sha256, size_bytes FROM lease_move_file WHERE move_id = $1 AND name = $2 FOR UPDATE
            """;

    /** The old node saved the guest again (new content): the file's old chunks are of another save. */
    private static final String REDECLARE = """
            UPDATE lease_move_file SET sha256 = $3, size_bytes = $4, uploaded_at = now() WHERE move_id = $1 AND name = $2
            """;

    private static final String DROP_CHUNKS = "DELETE FROM lease_move_file_chunk WHERE move_id = $1 AND name = $2";

    /** A chunk sent again replaces itself: sending one twice is sending it once. */
    private static final String PUT_CHUNK = """
            INSERT INTO lease_move_file_chunk (move_id, name, offset_bytes, content) VALUES ($1, $2, $3, $4)
            ON CONFLICT (move_id, name, offset_bytes) DO UPDATE SET content = excluded.content
            """;

    private static final String TOUCH = "UPDATE lease_move_file SET uploaded_at = now() WHERE move_id = $1 AND name = $2";

    /** Read only by the new server's node, and only while the guest is saved and not yet restored. */
    private static final String GET_CHUNK = """
            SELECT f.sha256, f.size_bytes, c.content FROM lease_move_file_chunk c
            JOIN lease_move_file f ON f.move_id = c.move_id AND f.name = c.name
            JOIN lease_move m ON m.id = c.move_id
            WHERE c.move_id = $1 AND c.name = $2 AND c.offset_bytes = $3 AND m.to_server_id = $4 AND m.state = 'SAVED'
            """;

    private static final String CHUNKS = """
            SELECT offset_bytes, octet_length(content) FROM lease_move_file_chunk WHERE move_id = $1 AND name = $2
            ORDER BY offset_bytes
            """;

    private static final String CHUNK = """
            SELECT content FROM lease_move_file_chunk WHERE move_id = $1 AND name = $2 AND offset_bytes = $3
            """;

    /**
     * The file and its chunks as held, for the old server's node (whatever the move's step: it only reads),
     * each chunk's SHA-256 computed by the database so no chunk's bytes leave it; no row when the move is not
     * the node's, one row with null chunk columns when the file has no chunks (or is not declared).
     */
    private static final String HELD = """
            SELECT f.sha256, f.size_bytes, c.offset_bytes, octet_length(c.content), encode(sha256(c.content), 'hex')
            FROM lease_move m
            LEFT JOIN lease_move_file f ON f.move_id = m.id AND f.name = $2
            LEFT JOIN lease_move_file_chunk c ON c.move_id = f.move_id AND c.name = f.name
            WHERE m.id = $1 AND m.from_server_id = $3
            ORDER BY c.offset_bytes
            """;

    private static final String LIST = """
            SELECT move_id, name, sha256, size_bytes FROM lease_move_file WHERE move_id = ANY ($1) ORDER BY move_id, name
            """;

    /** Where a chunk starts and how long it is, as held. */
    public record ChunkSpan(long offsetBytes, int lengthBytes) {
        public long end() {
            return offsetBytes + lengthBytes;
        }
    }

    private final Pool pool;

    public MoveFileRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores one chunk of {@code file} at {@code offset}, in one transaction: the file is declared with
     * its SHA-256 and size if it is not yet (or declared anew, its old chunks dropped, if the old node
     * saved the guest again and names other content). Answers whether it was stored: false when the
     * move is not the node's to save now.
     */
    public Uni<Boolean> putChunk(UUID moveId, UUID fromServerId, MoveFile file, long offset, byte[] content) {
        return pool.withTransaction(connection -> connection.preparedQuery(SAVING).execute(Tuple.of(moveId, fromServerId))
                .chain(saving -> saving.size() == 0 ? Uni.createFrom().item(false)
                        : declare(connection, moveId, file)
                        .chain(() -> connection.preparedQuery(PUT_CHUNK)
                                .execute(Tuple.of(moveId, file.name(), offset, Buffer.buffer(content))))
                        .chain(() -> connection.preparedQuery(TOUCH).execute(Tuple.of(moveId, file.name())))
                        .replaceWith(true)));
    }

    private static Uni<Void> declare(SqlConnection connection, UUID moveId, MoveFile file) {
        return connection.preparedQuery(DECLARE).execute(Tuple.of(moveId, file.name(), file.sha256(), file.sizeBytes()))
                .chain(() -> connection.preparedQuery(DECLARED).execute(Tuple.of(moveId, file.name())))
                .chain(rows -> {
                    Row held = rows.iterator().next();
                    if (held.getString(0).equals(file.sha256()) && held.getLong(1) == file.sizeBytes()) {
                        return Uni.createFrom().voidItem();
                    }
                    return connection.preparedQuery(DROP_CHUNKS).execute(Tuple.of(moveId, file.name()))
                            .chain(() -> connection.preparedQuery(REDECLARE)
                                    .execute(Tuple.of(moveId, file.name(), file.sha256(), file.sizeBytes())))
                            .replaceWithVoid();
                });
    }

    /** The chunk of the file that starts at {@code offset}; null when there is none or it is not the node's to fetch now. */
    public Uni<HeldChunk> getChunk(UUID moveId, String name, long offset, UUID toServerId) {
        return pool.preparedQuery(GET_CHUNK).execute(Tuple.of(moveId, name, offset, toServerId)).map(rows -> {
            for (Row row : rows) {
                return new HeldChunk(row.getString(0), row.getLong(1), offset, row.getBuffer(2).getBytes());
            }
            return null;
        });
    }

    /** The file and its chunks as held for the move's old server; null when the move is not that server's. */
    public Uni<HeldFile> held(UUID moveId, String name, UUID fromServerId) {
        return pool.preparedQuery(HELD).execute(Tuple.of(moveId, name, fromServerId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            String sha256 = null;
            Long size = null;
            List<HeldFile.Chunk> chunks = new ArrayList<>();
            for (Row row : rows) {
                sha256 = row.getString(0);
                size = row.getLong(1);
                if (row.getLong(2) != null) {
                    chunks.add(new HeldFile.Chunk(row.getLong(2), row.getInteger(3), row.getString(4)));
                }
            }
            return new HeldFile(name, sha256, size, chunks);
        });
    }

    /** Where the file's chunks start and how long each is, in order (without their bytes). */
    public Uni<List<ChunkSpan>> spans(UUID moveId, String name) {
        return pool.preparedQuery(CHUNKS).execute(Tuple.of(moveId, name)).map(rows -> {
            List<ChunkSpan> spans = new ArrayList<>();
            for (Row row : rows) {
                spans.add(new ChunkSpan(row.getLong(0), row.getInteger(1)));
            }
            return spans;
        });
    }

    /** The bytes of one chunk (one row read at a time, so a large file is never held whole). */
    public Uni<byte[]> chunk(UUID moveId, String name, long offset) {
        return pool.preparedQuery(CHUNK).execute(Tuple.of(moveId, name, offset)).map(rows -> {
            for (Row row : rows) {
                return row.getBuffer(0).getBytes();
            }
            return null;
        });
    }

    /** Deletes the move's files and their chunks, within the caller's (Hibernate) transaction: its move is over. */
    public Uni<Integer> deleteOf(UUID moveId) {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session
                .createNativeQuery("DELETE FROM lease_move_file WHERE move_id = :move")
                .setParameter("move", moveId).executeUpdate());
    }

    /** The files declared for each of the moves. */
    public Uni<Map<UUID, List<MoveFile>>> of(Collection<UUID> moveIds) {
        if (moveIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(LIST).execute(Tuple.of(moveIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<MoveFile>> byMove = new HashMap<>();
            for (Row row : rows) {
                byMove.computeIfAbsent(row.getUUID(0), id -> new ArrayList<>())
                        .add(new MoveFile(row.getString(1), row.getString(2), row.getLong(3)));
            }
            return byMove;
        });
    }
}
