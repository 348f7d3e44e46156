package org.xenomarket.vmm.image;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.xenomarket.vmm.hypervisor.BootImage;

/**
 * Catalogue images on this host: each file fetched once into the cache directory, kept under its
 * SHA-256 only once it has been verified, so a corrupted or substituted download is never cached
 * nor booted. A file is taken from this cache first, then from the other agents of the site that
 * hold it (the site cache), then from its origin URL; every copy is checked for its SHA-256 and
 * size, and a copy that fails is refused with the reason and the next source is tried. The
 * hypervisor verifies the cached files again before each boot.
 */
public final class ImageCache {

    private static final System.Logger LOG = System.getLogger(ImageCache.class.getName());
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A verified file, where it came from, and the copies refused on the way (each with its reason). */
    public record Fetched(ImageRef ref, ImageSource source, List<String> refused) {
    }

    /** A boot image and where its files came from: warm when none had to come from the origin. */
    public record Boot(BootImage image, boolean warm, List<String> refused) {
    }

    private final Path directory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public ImageCache(Path directory) {
        this.directory = directory;
    }

    /** The directory verified files are kept in, each named by its SHA-256. */
    public Path directory() {
        return directory;
    }

    /** The boot image of a catalogue image, with every file fetched and verified. */
    public BootImage boot(CatalogueImage image) throws ImageRejected {
        return bootFrom(image).image();
    }

    /** As {@link #boot}, telling whether every file came from a cache at this site. */
    public Boot bootFrom(CatalogueImage image) throws ImageRejected {
        List<String> refused = new ArrayList<>();
        boolean warm = true;
        BootImage boot;
        if (image.isKernel()) {
            Fetched kernel = fetchFrom(image.kernel());
            Fetched initrd = fetchFrom(image.initrd());
            warm = kernel.source().warm() && initrd.source().warm();
            refused.addAll(kernel.refused());
            refused.addAll(initrd.refused());
            boot = new BootImage.Kernel(kernel.ref(), initrd.ref(), image.cmdline());
        } else {
            Fetched disk = fetchFrom(image.disk());
            warm = disk.source().warm();
            refused.addAll(disk.refused());
            boot = new BootImage.Disk(disk.ref(), BootImage.DiskFormat.valueOf(image.diskFormat().toUpperCase(Locale.ROOT)));
        }
        return new Boot(boot, warm, List.copyOf(refused));
    }

    /** The verified local copy of one file, fetching it when it is not cached yet. */
    public ImageRef fetch(CatalogueImage.File file) throws ImageRejected {
        return fetchFrom(file).ref();
    }

    /**
     * The verified local copy of one file and where it came from: this cache, else each site peer in
     * turn, else the origin. A peer whose copy cannot be read or fails the checks is refused (logged,
     * and listed in the answer) and the next source is tried; when the origin's copy fails too, the
     * file is rejected with every source's reason.
     */
    public Fetched fetchFrom(CatalogueImage.File file) throws ImageRejected {
        String sha256 = file.sha256().toLowerCase(Locale.ROOT);
        if (!HEX_SHA256.matcher(sha256).matches()) {
            throw new ImageRejected(ImageRejected.Reason.CHECKSUM_MISMATCH, "image " + file.url()
                    + " names no SHA-256 (" + file.sha256() + ")");
        }
        Path cached = directory.resolve(sha256);
        ImageRef ref = new ImageRef(cached, sha256);
        List<String> refused = new ArrayList<>();
        if (Files.isRegularFile(cached)) {
            Optional<String> wrongSize = wrongSize(cached, file.sizeBytes());
            if (wrongSize.isEmpty()) {
                return new Fetched(ref, ImageSource.LOCAL_CACHE, List.of());
            }
            // Kept under its SHA-256 only once verified, so only a size the catalogue disagrees with lands here.
            refused.add("the local copy " + wrongSize.get());
            deleteQuietly(cached);
        }
        for (URI peer : file.peers()) {
            try {
                download(peer, file, sha256, cached);
                LOG.log(Level.INFO, "image file {0} fetched from site peer {1}", sha256, peer);
                return new Fetched(ref, ImageSource.SITE_PEER, List.copyOf(refused));
            } catch (ImageRejected e) {
                String reason = "site peer " + peer + " refused: " + e.getMessage();
                LOG.log(Level.WARNING, reason + "; trying the next source");
                refused.add(reason);
            }
        }
        try {
            download(file.url(), file, sha256, cached);
        } catch (ImageRejected e) {
            String sources = refused.isEmpty() ? "" : " (before it: " + String.join("; ", refused) + ")";
            throw new ImageRejected(e.reason(), e.getMessage() + sources, e.getCause());
        }
        return new Fetched(ref, ImageSource.ORIGIN, List.copyOf(refused));
    }

    /** The verified files this cache holds, for the market's view of the site cache. */
    public List<HeldFile> held() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> HEX_SHA256.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f))
                    .map(f -> {
                        try {
                            return new HeldFile(f.getFileName().toString(), Files.size(f));
                        } catch (IOException e) {
                            return null; // removed meanwhile
                        }
                    })
                    .filter(java.util.Objects::nonNull)
                    .sorted(java.util.Comparator.comparing(HeldFile::sha256))
                    .toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list the image cache " + directory + ": " + e);
            return List.of();
        }
    }

    /**
     * Copies one source into {@code cached} once its bytes have the file's SHA-256 and size; nothing
     * is kept otherwise. Reads at most one byte more than the size, so a peer cannot fill the disk.
     */
    private void download(URI url, CatalogueImage.File file, String sha256, Path cached) throws ImageRejected {
        Path part = directory.resolve(sha256 + ".part");
        try {
            Files.createDirectories(directory);
            try (InputStream in = open(url)) {
                InputStream bounded = file.sizeBytes() == null ? in : new BoundedInput(in, file.sizeBytes() + 1);
                Files.copy(bounded, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Optional<String> wrongSize = wrongSize(part, file.sizeBytes());
            if (wrongSize.isPresent()) {
                throw new ImageRejected(ImageRejected.Reason.CHECKSUM_MISMATCH, "image " + url + " " + wrongSize.get());
            }
            String actual = ImageVerifier.sha256Of(part);
            if (!actual.equals(sha256)) {
                throw new ImageRejected(ImageRejected.Reason.CHECKSUM_MISMATCH, "image " + url
                        + " has SHA-256 " + actual + ", not the catalogue's " + sha256);
            }
            Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ImageRejected(ImageRejected.Reason.UNAVAILABLE, "cannot fetch image " + url + ": " + e, e);
        } finally {
            deleteQuietly(part);
        }
    }

    private static Optional<String> wrongSize(Path copy, Long expected) throws ImageRejected {
        if (expected == null) {
            return Optional.empty();
        }
        try {
            long actual = Files.size(copy);
            if (actual == expected) {
                return Optional.empty();
            }
            return Optional.of(actual > expected ? "has more than the catalogue's " + expected + " bytes"
                    : "has " + actual + " bytes, not the catalogue's " + expected);
        } catch (IOException e) {
            throw new ImageRejected(ImageRejected.Reason.UNAVAILABLE, "cannot read " + copy + ": " + e, e);
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
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).GET()
                            .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover .part is replaced by the next fetch.
        }
    }

    /** Ends a stream after {@code limit} bytes: a source sending more than the catalogue's size is cut short. */
    private static final class BoundedInput extends java.io.FilterInputStream {

        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
