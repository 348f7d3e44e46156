package org.xenomarket.vmm.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small image files with their true checksums, for tests that need something to boot or refuse. */
public final class TestImages {

    public static final String WRONG_SHA256 = "0".repeat(64);

    private TestImages() {
    }

    public static ImageRef write(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return new ImageRef(file, ImageVerifier.sha256Of(file));
    }

    public static ImageRef withWrongChecksum(ImageRef image) {
        return new ImageRef(image.path(), WRONG_SHA256);
    }
}
