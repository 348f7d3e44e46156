package org.xenomarket.market.follow.move;

import java.util.List;

/**
 * What the market holds of one file of a saved guest while the old node uploads it: the file as declared
 * (null SHA-256 and size when nothing of it came yet) and each chunk's start, length and SHA-256, so a node
 * whose upload broke off sends only the chunks that are missing or differ.
 */
public record HeldFile(String name, String sha256, Long sizeBytes, List<Chunk> chunks) {

    /** One chunk as held: where it starts, how many bytes, and their SHA-256. */
    public record Chunk(long offsetBytes, int sizeBytes, String sha256) {
    }
}
