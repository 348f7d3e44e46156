package org.xenomarket.vmm.image;

import java.net.URI;
import java.util.Objects;

/**
 * An image from the market's catalogue as a lease assignment names it: either a kernel with its
 * initrd and command line, or a disk with its format; each file a URL and the SHA-256 it must have.
 */
public record CatalogueImage(String name, File kernel, File initrd, String cmdline, File disk, String diskFormat) {

    /** One file of the image. */
    public record File(URI url, String sha256) {
        public File {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    public boolean isKernel() {
        return kernel != null;
    }
}
