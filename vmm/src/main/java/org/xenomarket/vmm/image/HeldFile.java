package org.xenomarket.vmm.image;

/** A verified file in this node's image cache: the SHA-256 it is kept under and its size. */
public record HeldFile(String sha256, long sizeBytes) {
}
