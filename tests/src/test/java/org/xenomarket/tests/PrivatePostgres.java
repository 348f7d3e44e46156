package org.xenomarket.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, so that a test may
 * stop and start it under a running market without touching the shared server on 5432. Made with the
 * host's {@code initdb} and {@code pg_ctl} (Debian's /usr/lib/postgresql/N/bin); PostgreSQL refuses to
 * run as root, so as root they run as the {@code postgres} user through {@code runuser}. Closing it
 * stops the server and removes its directory.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final Path log;
    final int port;

    private PrivatePostgres(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.log = directory.resolve("postgres.log");
        this.port = port;
    }

    /** Whether the host has PostgreSQL's server programs, as Debian's postgresql package installs them. */
    static boolean available() {
        return binaries() != null;
    }

    /** A new cluster (trust authentication, user postgres), started on a free port. */
    static PrivatePostgres start() throws Exception {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("no /usr/lib/postgresql/*/bin/initdb on this host");
        }
        Path directory = Files.createTempDirectory("xenomarket-private-pg");
        PrivatePostgres postgres = new PrivatePostgres(bin, directory, MarketProcess.freePort());
        try {
            if (asRoot()) {
                UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(directory, users.lookupPrincipalByName("postgres"));
            }
            postgres.run(Duration.ofMinutes(3), postgres.bin.resolve("initdb").toString(), "-D", postgres.data.toString(),
                    "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions");
            postgres.startServer();
            return postgres;
        } catch (Exception | Error e) {
            postgres.close();
            throw e;
        }
    }

    /** Starts the server again (after {@link #stopServer}) and waits until it accepts connections. */
    void startServer() throws Exception {
        run(Duration.ofMinutes(3), bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(),
                "-w", "-t", "170", "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1", "start");
    }

    /** Stops the server at once, as a crash would (immediate mode: no checkpoint, WAL replayed on start). */
    void stopServer() throws Exception {
        run(Duration.ofMinutes(2), bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                "stop");
    }

    Connection connect(String database) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stopServer();
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void run(Duration timeout, String... command) throws Exception {
        List<String> line = new ArrayList<>();
        if (asRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        Path output = Files.createTempFile("xenomarket-pg-ctl", ".log");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(Path.of("/").toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", line) + " did not finish: " + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed (" + process.exitValue() + "): "
                        + Files.readString(output) + serverLog());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
