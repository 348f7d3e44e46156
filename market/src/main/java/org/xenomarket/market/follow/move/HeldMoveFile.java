package org.xenomarket.market.follow.move;

/** A saved guest's file as the market holds it for its move: the SHA-256 it was stored under, and its bytes. */
public record HeldMoveFile(String sha256, byte[] content) {
}
