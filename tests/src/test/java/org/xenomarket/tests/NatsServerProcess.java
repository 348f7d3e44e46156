package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A NATS server of the test's own (JetStream on, its store in a temporary directory, a free port),
 * so that a test can restart it while agents publish without touching the shared server at 4222.
 * A restart keeps the port and the store: the stream and its durable consumer survive it, as they
 * do when an operator restarts NATS.
 */
final class NatsServerProcess implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("XENOMARKET_NATS_SERVER", "/usr/sbin/nats-server"));

    private final Path store;
    private final int port;
    private Process process;

    private NatsServerProcess(Path store, int port) {
        this.store = store;
        this.port = port;
    }

    static NatsServerProcess start() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install nats-server (see .ci/setup-nats.sh)");
        }
        NatsServerProcess nats = new NatsServerProcess(Files.createTempDirectory("xenomarket-nats"), MarketProcess.freePort());
        nats.launch();
        return nats;
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts it again after {@link #stop()}, on the same port and store. */
    void launch() throws IOException {
        process = new ProcessBuilder(List.of(BINARY.toString(), "-js", "-sd", store.toString(), "-a", "127.0.0.1",
                "-p", Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(store.resolve("nats.log").toFile()))
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .failFast("nats-server exited", () -> !started.isAlive())
                .until(this::accepting);
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Stops the server as a service manager does (SIGTERM), waiting until it exited. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        try (Stream<Path> files = Files.walk(store)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
