-- Images near the lease: the catalogue is content-addressed (each file's SHA-256 and, for images
-- added from now on, its size in bytes), node agents report which files their cache holds and the
-- URL they serve them from to the other agents of their site, and placement prefers, at equal
-- price, servers whose site already holds the bid's image.

-- Sizes are optional: images added before this migration have none, and agents then check the
-- SHA-256 alone.
ALTER TABLE image ADD COLUMN kernel_size_bytes bigint CHECK (kernel_size_bytes > 0);
ALTER TABLE image ADD COLUMN initrd_size_bytes bigint CHECK (initrd_size_bytes > 0);
ALTER TABLE image ADD COLUMN disk_size_bytes bigint CHECK (disk_size_bytes > 0);

-- Bids may name an image by the SHA-256 of its disk (or kernel): found through these.
CREATE INDEX image_disk_sha256_idx ON image (disk_sha256);
CREATE INDEX image_kernel_sha256_idx ON image (kernel_sha256);

-- Where a node agent serves its verified cache to the other agents of its site (http or https
-- base URL; files at <url>/images/<sha256>); NULL: it serves none.
ALTER TABLE node ADD COLUMN image_peer_url text CHECK (length(image_peer_url) <= 2048);

-- The files a server's node holds in its verified cache, as its last heartbeat listed them. A
-- site's cache is the union over its servers. Keyed by content, not by image: two images that
-- share a file share its copies.
CREATE TABLE image_holding (
    server_id       uuid NOT NULL REFERENCES server (id),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    reported_at     timestamptz NOT NULL,
    PRIMARY KEY (server_id, sha256)
);
CREATE INDEX image_holding_sha256_idx ON image_holding (sha256);
