package org.xenomarket.vmm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageVerifierTest {

    private final ImageVerifier verifier = new ImageVerifier();

    @TempDir
    Path dir;

    @Test
    void knowsTheSha256OfAKnownString() throws Exception {
        Path file = dir.resolve("abc");
        Files.writeString(file, "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ImageVerifier.sha256Of(file));
    }

    @Test
    void acceptsAnImageWhoseChecksumMatches() throws Exception {
        ImageRef image = TestImages.write(dir, "kernel", "a kernel");
        verifier.verify(image);
    }

    @Test
    void refusesAnImageWhoseChecksumDiffersAndNamesBothChecksums() throws Exception {
        ImageRef image = TestImages.withWrongChecksum(TestImages.write(dir, "kernel", "a kernel"));

        ImageRejected rejected = assertThrows(ImageRejected.class, () -> verifier.verify(image));

        assertEquals(ImageRejected.Reason.CHECKSUM_MISMATCH, rejected.reason());
        assertTrue(rejected.getMessage().contains(TestImages.WRONG_SHA256));
        assertTrue(rejected.getMessage().contains(ImageVerifier.sha256Of(image.path())));
    }

    @Test
    void refusesAMissingImageAsUnavailable() {
        ImageRef image = new ImageRef(dir.resolve("absent"), TestImages.WRONG_SHA256);

        ImageRejected rejected = assertThrows(ImageRejected.class, () -> verifier.verify(image));

        assertEquals(ImageRejected.Reason.UNAVAILABLE, rejected.reason());
    }

    @Test
    void copiesAVerifiedImageByteForByte() throws Exception {
        ImageRef image = TestImages.write(dir, "disk", "a disk image");
        Path copy = dir.resolve("copy");

        verifier.copyVerified(image, copy);

        assertEquals("a disk image", Files.readString(copy));
    }

    @Test
    void leavesNoCopyBehindWhenTheChecksumDiffers() throws Exception {
        ImageRef image = TestImages.withWrongChecksum(TestImages.write(dir, "disk", "a disk image"));
        Path copy = dir.resolve("copy");

        assertThrows(ImageRejected.class, () -> verifier.copyVerified(image, copy));

        assertFalse(Files.exists(copy));
    }

    @Test
    void acceptsUpperCaseChecksumsAsTheSameDigest() throws Exception {
        ImageRef image = TestImages.write(dir, "kernel", "a kernel");
        verifier.verify(new ImageRef(image.path(), image.sha256().toUpperCase()));
    }
}
