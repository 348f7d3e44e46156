package org.xenomarket.vmm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents of one site over real HTTP on the loopback: the peer's {@link ImagePeerServer} serves its
 * verified cache, a small origin server serves the catalogue's copy, and the fetching agent takes a
 * file from the peer before the origin, checking SHA-256 and size at every hop.
 */
class SiteCacheFetchTest {

    private static final byte[] IMAGE = "a small but honest disk image\n".repeat(200).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path peerDir;
    @TempDir
    Path fetcherDir;

    private String sha256;
    private HttpServer origin;
    private final AtomicInteger originRequests = new AtomicInteger();
    private volatile byte[] originBytes = IMAGE;
    private ImagePeerServer peer;
    private ImageCache peerCache;

    @BeforeEach
    void startServers() throws Exception {
        Path plain = Files.write(peerDir.resolve("source.raw"), IMAGE);
        sha256 = ImageVerifier.sha256Of(plain);
        Files.delete(plain);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/disk.raw", exchange -> {
            originRequests.incrementAndGet();
            byte[] body = originBytes;
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
        peerCache = new ImageCache(peerDir.resolve("images"));
        peer = ImagePeerServer.start(peerCache, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stopServers() {
        origin.stop(0);
        peer.close();
    }

    private URI originUrl() {
        return URI.create("http://127.0.0.1:" + origin.getAddress().getPort() + "/disk.raw");
    }

    private URI peerUrl() {
        return URI.create("http://127.0.0.1:" + peer.port() + "/images/" + sha256);
    }

    private CatalogueImage.File file(List<URI> peers) {
        return new CatalogueImage.File(originUrl(), sha256, (long) IMAGE.length, peers);
    }

    /** The peer holds the image as it would after its own verified fetch. */
    private void peerHolds(byte[] content) throws Exception {
        Files.createDirectories(peerCache.directory());
        Files.write(peerCache.directory().resolve(sha256), content);
    }

    @Test
    void aFileHeldBySitePeerIsFetchedFromItAndNotFromTheOrigin() throws Exception {
        peerCache.fetch(file(List.of())); // the peer fetched it earlier, from the origin
        assertEquals(List.of(new HeldFile(sha256, IMAGE.length)), peerCache.held());
        originRequests.set(0);

        ImageCache.Fetched fetched = new ImageCache(fetcherDir).fetchFrom(file(List.of(peerUrl())));

        assertEquals(ImageSource.SITE_PEER, fetched.source());
        assertEquals(0, originRequests.get(), "the origin was not asked");
        assertArrayEquals(IMAGE, Files.readAllBytes(fetched.ref().path()));
        assertTrue(fetched.refused().isEmpty());
        // and next time it is this agent's own cache
        assertEquals(ImageSource.LOCAL_CACHE, new ImageCache(fetcherDir).fetchFrom(file(List.of(peerUrl()))).source());
    }

    @Test
    void aCorruptedPeerCopyIsRefusedWithItsReasonAndTheOriginServesTheFile() throws Exception {
        byte[] corrupted = IMAGE.clone();
        corrupted[7] ^= 1; // same size, other bytes
        peerHolds(corrupted);
        URI unreachable = URI.create("http://127.0.0.1:" + peer.port() + "/images/" + "f".repeat(64));

        ImageCache.Fetched fetched = new ImageCache(fetcherDir).fetchFrom(file(List.of(peerUrl(), unreachable)));

        assertEquals(ImageSource.ORIGIN, fetched.source());
        assertEquals(1, originRequests.get());
        assertArrayEquals(IMAGE, Files.readAllBytes(fetched.ref().path()));
        assertEquals(2, fetched.refused().size(), fetched.refused().toString());
        assertTrue(fetched.refused().get(0).contains(peerUrl().toString())
                && fetched.refused().get(0).contains("SHA-256"), fetched.refused().get(0));
        assertTrue(fetched.refused().get(1).contains("404"), fetched.refused().get(1));
    }

    @Test
    void aPeerCopyOfTheWrongSizeIsRefusedBeforeItIsHashed() throws Exception {
        byte[] longer = new byte[IMAGE.length + 100];
        System.arraycopy(IMAGE, 0, longer, 0, IMAGE.length);
        peerHolds(longer);

        ImageCache.Fetched fetched = new ImageCache(fetcherDir).fetchFrom(file(List.of(peerUrl())));

        assertEquals(ImageSource.ORIGIN, fetched.source());
        assertTrue(fetched.refused().get(0).contains("more than the catalogue's " + IMAGE.length + " bytes"),
                fetched.refused().get(0));
    }

    @Test
    void whenThePeerAndTheOriginAreBothWrongTheFileIsRejectedWithEveryReasonAndNothingIsKept() throws Exception {
        byte[] corrupted = IMAGE.clone();
        corrupted[0] ^= 1;
        peerHolds(corrupted);
        originBytes = corrupted;

        ImageRejected rejected = assertThrows(ImageRejected.class,
                () -> new ImageCache(fetcherDir).bootFrom(new CatalogueImage("bad", null, null, null,
                        file(List.of(peerUrl())), "raw")));

        assertEquals(ImageRejected.Reason.CHECKSUM_MISMATCH, rejected.reason());
        assertTrue(rejected.getMessage().contains(originUrl().toString()), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("site peer " + peerUrl()), rejected.getMessage());
        assertFalse(Files.exists(fetcherDir.resolve(sha256)), "nothing kept");
        assertTrue(new ImageCache(fetcherDir).held().isEmpty());
    }

    @Test
    void thePeerServerAnswersOnlyVerifiedFilesByTheirChecksum() throws Exception {
        peerHolds(IMAGE);
        Files.write(peerCache.directory().resolve(sha256 + ".part"), IMAGE);
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + peer.port() + "/images/";
        for (String path : List.of(sha256 + ".part", "../" + sha256, "not-a-checksum")) {
            int status = http.send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(404, status, path);
        }
        assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(URI.create(base + sha256)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
