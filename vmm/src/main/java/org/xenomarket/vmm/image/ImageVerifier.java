package org.xenomarket.vmm.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Checks boot images against the SHA-256 in the lease before a guest may boot them. */
public final class ImageVerifier {

    /** The SHA-256 of a file as 64 lower-case hex digits, as an {@link ImageRef} expects it. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Hashes the image where it lies. */
    public void verify(ImageRef image) throws ImageRejected {
        try (InputStream in = open(image)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            check(image, digest);
        } catch (IOException e) {
            throw unreadable(image, e);
        }
    }

    /**
     * Copies the image to {@code target} while hashing it, and deletes the copy on a mismatch. The
     * guest boots the copy, so the bytes that were checked are the bytes that boot, even if the
     * original changes afterwards.
     */
    public void copyVerified(ImageRef image, Path target) throws ImageRejected {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(open(image), digest);
                OutputStream out = Files.newOutputStream(
                        target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException e) {
            deleteQuietly(target);
            throw unreadable(image, e);
        }
        try {
            check(image, digest);
        } catch (ImageRejected e) {
            deleteQuietly(target);
            throw e;
        }
    }

    private static InputStream open(ImageRef image) throws ImageRejected, IOException {
        try {
            return Files.newInputStream(image.path());
        } catch (NoSuchFileException e) {
            throw new ImageRejected(ImageRejected.Reason.UNAVAILABLE, "image not found: " + image.path(), e);
        }
    }

    private static void check(ImageRef image, MessageDigest digest) throws ImageRejected {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(image.sha256())) {
            throw new ImageRejected(
                    ImageRejected.Reason.CHECKSUM_MISMATCH,
                    "SHA-256 of " + image.path() + " is " + actual + ", lease expects " + image.sha256());
        }
    }

    private static ImageRejected unreadable(ImageRef image, IOException e) {
        return new ImageRejected(
                ImageRejected.Reason.UNAVAILABLE, "image cannot be read: " + image.path() + " (" + e + ")", e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this cannot happen on a working JDK.
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The caller removes the whole lease directory as well; this is only the early cleanup.
        }
    }
}
