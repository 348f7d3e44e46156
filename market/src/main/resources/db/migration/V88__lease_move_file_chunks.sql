-- Issue 16 item 3, a real guest's files through the market: a saved QEMU guest (its memory state and
-- its flattened qcow2 disk) is hundreds of MiB to GiB, more than one request body (16 MiB) or one bytea
-- held whole in memory should carry. Each file is now declared once (name, SHA-256, size) in
-- lease_move_file and its bytes are held as chunks of at most a few MiB, one row each, keyed by the
-- byte offset they start at: a node uploads and fetches one chunk per request, the market reads one
-- chunk at a time when it checks the whole file's SHA-256, and nothing holds a whole file in memory.
-- Rows rather than large objects: a chunk row is deleted with its file (ON DELETE CASCADE, so a move's
-- end still deletes everything in one statement), is covered by the same per-statement checks of the
-- move's step as the file itself, and needs no lo_unlink bookkeeping nor a client that speaks the
-- large-object API.
CREATE TABLE lease_move_file_chunk (
    move_id      uuid NOT NULL,
    name         text NOT NULL,
    offset_bytes bigint NOT NULL CHECK (offset_bytes >= 0),
    -- 16 MiB: the request body limit, so the whole-file upload of a small file fits in one chunk
    content      bytea NOT NULL CHECK (octet_length(content) <= 16777216),
    PRIMARY KEY (move_id, name, offset_bytes),
    FOREIGN KEY (move_id, name) REFERENCES lease_move_file (move_id, name) ON DELETE CASCADE
);

-- Files held whole until now become their first (and only) chunk.
INSERT INTO lease_move_file_chunk (move_id, name, offset_bytes, content)
SELECT move_id, name, 0, content FROM lease_move_file WHERE size_bytes > 0;

ALTER TABLE lease_move_file DROP COLUMN content;
