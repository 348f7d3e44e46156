package org.xenomarket.vmm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.hypervisor.BootImage;

/** Catalogue images fetched into the cache: verified before they are kept, refused with the reason otherwise. */
class ImageCacheTest {

    @TempDir
    Path source;
    @TempDir
    Path cacheDir;

    @Test
    void aKernelImageIsFetchedVerifiedAndKeptUnderItsChecksum() throws Exception {
        Path kernel = TestImages.write(source, "vmlinuz", "kernel bytes").path();
        Path initrd = TestImages.write(source, "initrd.img", "initrd bytes").path();
        CatalogueImage image = new CatalogueImage("tiny", file(kernel), file(initrd), "console=ttyS0 quiet", null, null);

        BootImage.Kernel boot = (BootImage.Kernel) new ImageCache(cacheDir).boot(image);

        assertEquals(cacheDir.resolve(ImageVerifier.sha256Of(kernel)), boot.kernel().path());
        assertArrayEquals(Files.readAllBytes(kernel), Files.readAllBytes(boot.kernel().path()));
        assertEquals("console=ttyS0 quiet", boot.commandLine());
        new ImageVerifier().verify(boot.initrd());
        // Fetched once: the source may go away and the cached copy serves.
        Files.delete(kernel);
        assertEquals(boot.kernel(), new ImageCache(cacheDir).fetch(file(cacheDir.resolve(boot.kernel().sha256()),
                boot.kernel().sha256())));
    }

    @Test
    void aFileWhoseChecksumDiffersIsRefusedAndNotCached() throws Exception {
        Path disk = TestImages.write(source, "disk.raw", "disk bytes").path();
        String wrong = "0".repeat(64);
        CatalogueImage image = new CatalogueImage("bad", null, null, null,
                new CatalogueImage.File(disk.toUri(), wrong), "raw");

        ImageRejected rejected = assertThrows(ImageRejected.class, () -> new ImageCache(cacheDir).boot(image));

        assertEquals(ImageRejected.Reason.CHECKSUM_MISMATCH, rejected.reason());
        assertTrue(rejected.getMessage().contains(wrong), rejected.getMessage());
        try (var files = Files.list(cacheDir)) {
            assertEquals(0, files.count(), "nothing kept");
        }
    }

    @Test
    void aFileThatCannotBeFetchedIsUnavailable() {
        CatalogueImage.File missing = new CatalogueImage.File(source.resolve("gone").toUri(), "a".repeat(64));
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> new ImageCache(cacheDir).fetch(missing));
        assertEquals(ImageRejected.Reason.UNAVAILABLE, rejected.reason());
        assertFalse(Files.exists(cacheDir.resolve("a".repeat(64))));
    }

    private static CatalogueImage.File file(Path path) throws Exception {
        return file(path, ImageVerifier.sha256Of(path));
    }

    private static CatalogueImage.File file(Path path, String sha256) {
        return new CatalogueImage.File(path.toUri(), sha256);
    }
}
