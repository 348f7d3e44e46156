-- Signed usage batches (issue 17, item 3): a node signs a batch once, over a SHA-256 hash chain of
-- its records, instead of every record alone. The batch keeps its signature, the chain's head and
-- the hash of every record in chain order, so any one stored record is provable on its own: hash
-- its fields (canonical encoding), find the hash in its batch's list, fold the list into the head
-- and verify the signature over the batch header (metering's HashChain and BatchHeader).
CREATE TABLE usage_batch (
    id               uuid PRIMARY KEY,
    node_id          uuid NOT NULL REFERENCES node (id),
    record_count     integer NOT NULL CHECK (record_count > 0),
    first_sequence   bigint NOT NULL,
    last_sequence    bigint NOT NULL CHECK (last_sequence >= first_sequence),
    head             bytea NOT NULL CHECK (length(head) = 32),
    -- The records' SHA-256 hashes, concatenated in chain order, rejected records' included: the
    -- signed head covers them all.
    record_hashes    bytea NOT NULL CHECK (length(record_hashes) = 32 * record_count),
    signature        bytea NOT NULL CHECK (length(signature) = 64),
    received_at      timestamptz NOT NULL DEFAULT now(),
    -- The same batch sent again is the same row: its head names every record and its place.
    UNIQUE (node_id, head)
);

-- A record comes either signed alone (signature) or in a signed batch (batch and chain link).
ALTER TABLE usage_record
    ALTER COLUMN signature DROP NOT NULL,
    ADD COLUMN batch_id uuid REFERENCES usage_batch (id),
    ADD COLUMN chain_hash bytea CHECK (length(chain_hash) = 32),
    ADD CONSTRAINT usage_record_signed CHECK (signature IS NOT NULL OR (batch_id IS NOT NULL AND chain_hash IS NOT NULL));
