package org.xenomarket.market.follow.move.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.follow.move.HeldMoveFile;
import org.xenomarket.market.follow.move.MoveFile;

/**
 * The files of saved guests, held in the database as private objects of their move: each statement
 * checks in itself that the node asking is the one the move's step is for, so no state read earlier
 * can let a file in or out at the wrong step. Never part of the image catalogue.
 */
@ApplicationScoped
public class MoveFileRepository {

    /** Stored (or replaced, when the old node sends it again) only by the old server's node while BOOKED. */
    private static final String PUT = """
            INSERT INTO lease_move_file (move_id, name, sha256, size_bytes, content, uploaded_at)
            SELECT m.id, $2, $3, $4, $5, now() FROM lease_move m
            WHERE m.id = $1 AND m.from_server_id = $6 AND m.state = 'BOOKED'
            ON CONFLICT (move_id, name) DO UPDATE SET sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
                content = excluded.content, uploaded_at = excluded.uploaded_at
            """;

    /** Read only by the new server's node, and only while the guest is saved and not yet restored. */
    private static final String GET = """
            SELECT f.sha256, f.content FROM lease_move_file f JOIN lease_move m ON m.id = f.move_id
            WHERE f.move_id = $1 AND f.name = $2 AND m.to_server_id = $3 AND m.state = 'SAVED'
            """;

    private static final String LIST = """
            SELECT move_id, name, sha256, size_bytes FROM lease_move_file WHERE move_id = ANY ($1) ORDER BY move_id, name
            """;

    private final Pool pool;

    public MoveFileRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether the file was stored: false when the move is not the node's to save now. */
    public Uni<Boolean> put(UUID moveId, UUID fromServerId, MoveFile file, byte[] content) {
        return pool.preparedQuery(PUT)
                .execute(Tuple.of(moveId, file.name(), file.sha256(), file.sizeBytes(), io.vertx.core.buffer.Buffer.buffer(content),
                        fromServerId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The file's SHA-256 and bytes; null when it is not the node's to fetch now. */
    public Uni<HeldMoveFile> get(UUID moveId, String name, UUID toServerId) {
        return pool.preparedQuery(GET).execute(Tuple.of(moveId, name, toServerId)).map(rows -> {
            for (Row row : rows) {
                return new HeldMoveFile(row.getString(0), row.getBuffer(1).getBytes());
            }
            return null;
        });
    }


    /** Deletes the move's files, within the caller's (Hibernate) transaction: its move is over. */
    public Uni<Integer> deleteOf(UUID moveId) {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session
                .createNativeQuery("DELETE FROM lease_move_file WHERE move_id = :move")
                .setParameter("move", moveId).executeUpdate());
    }

    /** The files held for each of the moves. */
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
