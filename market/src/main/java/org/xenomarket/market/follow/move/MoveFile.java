package org.xenomarket.market.follow.move;

/** One file of a saved guest held for its move: its name (as the node saved it), SHA-256 and size. */
public record MoveFile(String name, String sha256, long sizeBytes) {
}
