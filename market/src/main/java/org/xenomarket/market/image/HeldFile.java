package org.xenomarket.market.image;

/** One file a node agent holds in its verified cache, as it reports it: the SHA-256 it is kept under, and its size. */
public record HeldFile(String sha256, long sizeBytes) {
}
