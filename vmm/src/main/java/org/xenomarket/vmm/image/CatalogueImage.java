package org.xenomarket.vmm.image;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * An image from the market's catalogue as a lease assignment names it: either a kernel with its
 * initrd and command line, or a disk with its format; each file a URL and the SHA-256 it must have.
 */
public record CatalogueImage(String name, File kernel, File initrd, String cmdline, File disk, String diskFormat) {

    /**
     * One file of the image: its origin URL, the SHA-256 and size (null: unknown) every copy must
     * have, and the copies other agents of this site serve, tried before the origin.
     */
    public record File(URI url, String sha256, Long sizeBytes, List<URI> peers) {
        public File {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(sha256, "sha256");
            peers = peers == null ? List.of() : List.copyOf(peers);
        }

        /** A file with no known size and no site peers: fetched from its origin alone. */
        public File(URI url, String sha256) {
            this(url, sha256, null, List.of());
        }
    }

    public boolean isKernel() {
        return kernel != null;
    }
}
