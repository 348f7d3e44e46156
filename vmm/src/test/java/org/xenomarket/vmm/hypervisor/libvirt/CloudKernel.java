package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The Debian cloud kernel installed on this host (linux-image-cloud-amd64) and its modules. */
record CloudKernel(Path image, String release) {

    private static final String PREFIX = "vmlinuz-";

    /** The newest installed cloud kernel, if any. */
    static Optional<CloudKernel> installed() throws IOException {
        Path boot = Path.of("/boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(boot)) {
            return files
                    .filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> p.getFileName().toString().endsWith("-cloud-amd64"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> new CloudKernel(p, p.getFileName().toString().substring(PREFIX.length())));
        }
    }

    Path module(String relativePath) {
        return Path.of("/lib/modules", release, "kernel", relativePath);
    }
}
