package org.xenomarket.vmm.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import org.xenomarket.vmm.hypervisor.BootImage;

/**
 * Catalogue images on this host: each file fetched once from its URL into the cache directory,
 * kept under its SHA-256 only once it has been verified, so a corrupted or substituted download
 * is never cached nor booted. The hypervisor verifies the cached files again before each boot.
 */
public final class ImageCache {

    private final Path directory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public ImageCache(Path directory) {
        this.directory = directory;
    }

    /** The boot image of a catalogue image, with every file fetched and verified. */
    public BootImage boot(CatalogueImage image) throws ImageRejected {
        if (image.isKernel()) {
            return new BootImage.Kernel(fetch(image.kernel()), fetch(image.initrd()), image.cmdline());
        }
        return new BootImage.Disk(fetch(image.disk()),
                BootImage.DiskFormat.valueOf(image.diskFormat().toUpperCase(Locale.ROOT)));
    }

    /** The verified local copy of one file, fetching it when it is not cached yet. */
    public ImageRef fetch(CatalogueImage.File file) throws ImageRejected {
        String sha256 = file.sha256().toLowerCase(Locale.ROOT);
        Path cached = directory.resolve(sha256);
        ImageRef ref = new ImageRef(cached, sha256);
        if (Files.isRegularFile(cached)) {
            return ref;
        }
        Path part = directory.resolve(sha256 + ".part");
        try {
            Files.createDirectories(directory);
            try (InputStream in = open(file.url())) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = ImageVerifier.sha256Of(part);
            if (!actual.equals(sha256)) {
                throw new ImageRejected(ImageRejected.Reason.CHECKSUM_MISMATCH, "image " + file.url()
                        + " has SHA-256 " + actual + ", not the catalogue's " + sha256);
            }
            Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE);
            return ref;
        } catch (IOException e) {
            throw new ImageRejected(ImageRejected.Reason.UNAVAILABLE, "cannot fetch image " + file.url() + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // A leftover .part is replaced by the next fetch.
            }
        }
    }

    private InputStream open(URI url) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return Files.newInputStream(Path.of(url));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme '" + scheme + "'");
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
