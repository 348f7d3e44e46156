package org.xenomarket.market.image;

/**
 * An image an operator adds to the catalogue: a kernel with initrd (and a command line, the
 * market's default when null), or a disk with its format; the service checks it is one or the other.
 */
public record NewImage(String name, File kernel, File initrd, String cmdline, File disk, String diskFormat) {

    /**
     * One file of an image: where agents fetch it, the SHA-256 they check it against, and its size
     * in bytes, which they check too (null: not given; the SHA-256 alone is checked).
     */
    public record File(String url, String sha256, Long sizeBytes) {

        public File(String url, String sha256) {
            this(url, sha256, null);
        }
    }
}
