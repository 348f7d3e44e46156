package org.xenomarket.market.follow.move;

/**
 * One chunk of a saved guest's file as the market holds it for its move: the whole file's SHA-256 and
 * size (what the new node checks the file against once it has every chunk), where the chunk starts, and
 * its bytes.
 */
public record HeldChunk(String fileSha256, long fileSizeBytes, long offsetBytes, byte[] content) {

    /** Where the next chunk starts; the file's size after its last chunk. */
    public long nextOffset() {
        return offsetBytes + content.length;
    }
}
