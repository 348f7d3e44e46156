package org.xenomarket.vmm.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Serves this node's verified image cache to the other agents of its site: {@code GET
 * /images/<sha256>} answers the file kept under that SHA-256, 404 for anything else. Only verified
 * files are ever named so (downloads in progress are {@code .part}); the fetching agent checks the
 * SHA-256 and size again all the same, so a corrupted copy here costs it one refused source, never
 * a bad boot.
 */
public final class ImagePeerServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImagePeerServer.class.getName());
    private static final Pattern PATH = Pattern.compile("/images/([0-9a-f]{64})");

    private final HttpServer server;
    private final ExecutorService workers;

    private ImagePeerServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts serving {@code cache}'s directory on {@code address} (port 0: any free port). */
    public static ImagePeerServer start(ImageCache cache, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        // A few transfers at once: peers of one site, not the internet.
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "image-peer");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/images/", exchange -> serve(cache.directory(), exchange));
        server.start();
        LOG.log(Level.INFO, "serving the image cache {0} to site peers on port {1}", cache.directory(),
                server.getAddress().getPort());
        return new ImagePeerServer(server, workers);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(Path directory, HttpExchange exchange) throws IOException {
        try (exchange) {
            var match = PATH.matcher(exchange.getRequestURI().getPath());
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Path file = match.matches() ? directory.resolve(match.group(1)) : null;
            if (file == null || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
