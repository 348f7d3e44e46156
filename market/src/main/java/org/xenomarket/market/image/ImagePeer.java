package org.xenomarket.market.image;

/** Another node agent of a lease's site that holds a file of its image, and where it serves that file. */
public record ImagePeer(String sha256, String url) {
}
