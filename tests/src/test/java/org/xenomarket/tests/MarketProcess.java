package org.xenomarket.tests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** The packaged market, started as a separate process the way the demo command starts it. */
final class MarketProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "market", "target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;
    final int httpPort;

    private MarketProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts the market with the given system properties and waits until its log says it is up. */
    static MarketProcess start(Path log, List<String> properties, Duration timeout) throws IOException, InterruptedException {
        return start(log, properties, timeout, freePort());
    }

    /** Starts the market on the end-to-end tests' database (see {@link E2e#DATABASE}) on a free port, as most tests do. */
    static MarketProcess onTestDatabase(Path log) throws IOException, InterruptedException {
        return start(log, onTestDatabase(), Duration.ofMinutes(3));
    }

    /** The settings that put a market on the end-to-end tests' database, for tests that add their own. */
    static List<String> onTestDatabase() {
        return List.of("-Dxenomarket.database.host=127.0.0.1", "-Dxenomarket.database.name=" + E2e.DATABASE);
    }

    /** Starts the market on the given HTTP port, e.g. to bring it back where its clients expect it. */
    static MarketProcess start(Path log, List<String> properties, Duration timeout, int port)
            throws IOException, InterruptedException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the market module first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                // These tests and benchmarks drive the market from one address with a few tokens, far
                // past the production rate limits; a test may turn them on again in its properties.
                "-Dxenomarket.rate-limit.enabled=false"));
        command.addAll(properties);
        command.addAll(List.of("-jar", JAR.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Ended with the test JVM if a failing test never closes it, as AgentProcess does.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        MarketProcess market = new MarketProcess(process, log, port);
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .failFast("the market exited", () -> !process.isAlive())
                    .until(() -> market.output().contains("Listening on"));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            market.close();
            throw new IllegalStateException("the market did not start; its output:\n" + market.output(), e);
        }
        return market;
    }

    /** Runs the market until it exits by itself; returns its exit code. */
    static int runToExit(Path log, List<String> properties, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + freePort()));
        command.addAll(properties);
        command.addAll(List.of("-jar", JAR.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the market kept running; its output:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The market's process id, as its replica row ({@code market_replica.pid}) names it. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, as a service manager stops the market (systemctl stop, docker stop); does not wait. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the market to exit; returns its exit code, or fails when it is still running after the timeout. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the market still runs after " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, as when the market's host loses the process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Stops the market as a user's Ctrl-C would, so its shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
